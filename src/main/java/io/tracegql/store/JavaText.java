package io.tracegql.store;

/**
 * SQL expressions that write a value as the gateway's Java code writes it, for the statements that
 * write their answer themselves (see {@link CompiledReads}): a time as the GraphQL DateTime scalar
 * shows it, and sort values as cursors carry them ({@link RunCursor#encode}). Each is null when the value is.
 * The colons of to_char patterns are quoted ({@code HH24":"MI}): a colon before a letter reads as a
 * variable to pgbench, which replays the gateway's statements in bench/queries.sh.
 */
final class JavaText {

    private JavaText() {}

    /**
     * A timestamptz as {@code DateTimeFormatter.ISO_OFFSET_DATE_TIME} writes the UTC time the database
     * client reads: seconds always, the fraction without trailing zeros, {@code Z}.
     */
    static String isoTime(String time) {
        String utc = "(" + time + " at time zone 'UTC')";
        return "(to_char(" + utc + ", 'YYYY-MM-DD\"T\"HH24\":\"MI\":\"SS') || rtrim(rtrim(to_char(" + utc
                + ", '.US'), '0'), '.') || 'Z')";
    }

    /**
     * A timestamptz as {@code OffsetDateTime.toString()} writes it in UTC: no seconds when they and the
     * fraction are zero, then milli-, micro- or nanoseconds as many as are needed, {@code Z}.
     */
    static String offsetDateTimeToString(String time) {
        String utc = "(" + time + " at time zone 'UTC')";
        String micros = "to_char(" + utc + ", 'US')";
        return "(to_char(" + utc + ", 'YYYY-MM-DD\"T\"HH24\":\"MI') || case"
                + " when to_char(" + utc + ", 'SSUS') = '00000000' then ''"
                + " when " + micros + " = '000000' then to_char(" + utc + ", '\":\"SS')"
                + " when " + micros + " like '%000' then to_char(" + utc + ", '\":\"SS.MS')"
                + " else to_char(" + utc + ", '\":\"SS.US') end || 'Z')";
    }

    /**
     * A float8 as {@code Double.toString} writes it: plain with at least one decimal from 10^-3 up to
     * 10^7, else a mantissa with at least one decimal and an exponent ({@code 1.0E-4}, {@code 1.5E7}). The
     * digits are PostgreSQL's shortest exact ones, which are Java's. Written by the database's
     * {@code java_double_text} (migration V17).
     */
    static String doubleToString(String value) {
        return "java_double_text(" + value + ")";
    }

    /**
     * A float8 as the general path's JSON writes a Double ({@code BigDecimal.valueOf(d).toString()}), as
     * a json value: {@link #doubleToString}'s digits, plain from 10^-6 on while they have no more integer
     * digits than the exponent asks ({@code 0.00050}, {@code 12345678.5}), else with an exponent
     * ({@code 1.0E-7}, {@code 1.0E+7}).
     *
     * <p>Most values (latencies, scores, costs) are fractions from 10^-3 up to 10^7, whose JSON is
     * PostgreSQL's own: {@code to_json} writes them inline. Whole numbers (Java adds ".0") and the other
     * ranges take the database's {@code java_double_json}: one call in the statement's text instead of a
     * layout that would have to be parsed and planned with every statement.
     */
    static String doubleJson(String value) {
        return "(case when abs(" + value + ") >= 0.001 and abs(" + value + ") < 10000000 and " + value + " <> trunc("
                + value + ") then to_json(" + value + ") else java_double_json(" + value + ") end)";
    }

    /**
     * A numeric as {@code BigDecimal.toString()} writes it, as a json value: PostgreSQL's text while the
     * exponent is -6 or more (inline), else a mantissa and an exponent ({@code 1.5E-7}, {@code 0E-8}) by
     * the database's {@code java_decimal_json}.
     */
    static String decimalJson(String value) {
        return "(case when abs(" + value + ") >= 0.000001 then to_json(" + value + ") else java_decimal_json(" + value
                + ") end)";
    }
}
