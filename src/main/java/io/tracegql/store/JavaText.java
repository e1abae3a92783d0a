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
     * digits are PostgreSQL's shortest exact ones, which are Java's.
     */
    static String doubleToString(String value) {
        return "(case when " + inPlainRange(value) + " then " + plainDouble(value) + " else (select "
                + javaDouble("b.v") + " from " + bound(value) + " b) end)";
    }

    /**
     * A float8 as the general path's JSON writes a Double ({@code BigDecimal.valueOf(d).toString()}):
     * {@link #doubleToString}'s digits, plain from 10^-6 on while they have no more integer digits than
     * the exponent asks ({@code 0.00050}, {@code 12345678.5}), else with an exponent ({@code 1.0E-7},
     * {@code 1.0E+7}).
     */
    static String doubleJson(String value) {
        return "(case when " + inPlainRange(value) + " then " + plainDouble(value) + " else (select "
                + decimalLayout("s.j", "s.v") + " from (select " + javaDouble("b.v") + " as j, b.v from "
                + bound(value) + " b offset 0) s) end)";
    }

    /*
     * Most values (latencies, scores, costs in seconds or dollars) lie where Java writes PostgreSQL's
     * text as it is, plus ".0" for a whole number: that case reads the value three times. The others
     * take a layout that reads its input a dozen times, and a layout of a layout multiplies that; so
     * they read bound names instead, from subqueries that "offset 0" keeps the planner from folding
     * back into copies. A statement's planning time grows with its text: written out, one double of a
     * compiled page took 25 KB.
     */

    /** Null, or from 10^-3 up to 10^7, where both Java forms are PostgreSQL's plain text. */
    private static String inPlainRange(String value) {
        return value + " is null or (abs(" + value + ") >= 0.001 and abs(" + value + ") < 10000000)";
    }

    private static String plainDouble(String value) {
        String text = "(" + value + ")::text";
        return text + " || case when " + text + " like '%.%' then '' else '.0' end";
    }

    /** The value once, under the name {@code v}. */
    private static String bound(String value) {
        return "(select " + value + " as v offset 0)";
    }

    /** Double.toString of a value in any range; reads it many times, so give it a bound name. */
    private static String javaDouble(String value) {
        String text = "(" + value + ")::text";
        String abs = "abs(" + value + ")";
        String sign = "case when " + value + " < 0 then '-' else '' end";
        // Digits of the plain forms without sign and point, and the position of the point among them.
        String unsigned = "ltrim(" + text + ", '-')";
        String mantissa = "split_part(" + unsigned + ", 'e', 1)";
        String small = "substr(" + unsigned + ", 3)";
        String smallDigits = "ltrim(" + small + ", '0')";
        String largeDigits = "rtrim(replace(" + unsigned + ", '.', ''), '0')";
        return "(case when " + value + " is null then null"
                + " when " + value + " = 0 then '0.0'"
                + " when " + text + " like '%e%' then " + sign + " || " + mantissa
                + " || case when " + mantissa + " like '%.%' then '' else '.0' end"
                + " || 'E' || (split_part(" + unsigned + ", 'e', 2))::int::text"
                + " when " + abs + " >= 0.001 and " + abs + " < 10000000 then " + plainDouble(value)
                + " when " + abs + " < 0.001 then " + sign + " || " + scientific(smallDigits)
                + " || '-' || (length(" + small + ") - length(" + smallDigits + ") + 1)::text"
                + " else " + sign + " || " + scientific(largeDigits) + " || (length(split_part(" + unsigned
                + ", '.', 1)) - 1)::text end)";
    }

    /** BigDecimal.toString of Java's text {@code java} of the value {@code value}; both bound names. */
    private static String decimalLayout(String java, String value) {
        String mantissa = "split_part(" + java + ", 'E', 1)";
        String exponent = "(nullif(split_part(" + java + ", 'E', 2), ''))::int";
        String unsigned = "ltrim(" + mantissa + ", '-')";
        String digits = "replace(" + unsigned + ", '.', '')";
        String fraction = "length(split_part(" + unsigned + ", '.', 2))";
        String sign = "case when " + value + " < 0 then '-' else '' end";
        return "(case when " + java + " not like '%E%' then " + java
                + " when " + exponent + " between -6 and -1 then " + sign + " || '0.' || repeat('0', -" + exponent
                + " - 1) || " + digits
                + " when " + exponent + " > 0 and " + fraction + " > " + exponent + " then " + sign + " || left("
                + digits + ", " + exponent + " + 1) || '.' || substr(" + digits + ", " + exponent + " + 2)"
                + " when " + exponent + " > 0 and " + fraction + " = " + exponent + " then " + sign + " || " + digits
                + " when " + exponent + " > 0 then " + mantissa + " || 'E+' || " + exponent + "::text"
                + " else " + java + " end)";
    }

    /**
     * A numeric as {@code BigDecimal.toString()} writes it: PostgreSQL's plain text while the exponent
     * is -6 or more, else a mantissa and an exponent ({@code 1.5E-7}, {@code 0E-8}).
     */
    static String decimalJson(String value) {
        String digits = "ltrim(replace(abs(" + value + ")::text, '.', ''), '0')";
        String adjusted = "(length(" + digits + ") - 1 - scale(" + value + "))";
        return "(case when " + value + " is null then null"
                + " when " + value + " = 0 then case when scale(" + value + ") <= 6 then " + value
                + "::text else '0E-' || scale(" + value + ")::text end"
                + " when abs(" + value + ") >= 0.000001 then " + value + "::text"
                + " else case when " + value + " < 0 then '-' else '' end || left(" + digits + ", 1)"
                + " || case when length(" + digits + ") > 1 then '.' || substr(" + digits + ", 2) else '' end"
                + " || 'E' || " + adjusted + "::text end)";
    }

    /** "d.ddd" + "E" of these significant digits, at least one after the point. */
    private static String scientific(String digits) {
        return "left(" + digits + ", 1) || '.' || coalesce(nullif(substr(" + digits + ", 2), ''), '0') || 'E'";
    }
}
