package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL writes values as the Java code of the general path writes them, for every range. */
@QuarkusTest
class JavaTextTest {

    @Inject
    Sql sql;

    /** The text of the expression for each value, bound as its first parameter. */
    private List<String> texts(String expression, List<?> values) throws Throwable {
        List<String> out = new ArrayList<>();
        for (Object value : values) {
            Row row = VertxContextSupport.subscribeAndAwait(
                    () -> sql.query("select " + expression + " as t", Tuple.of(value))
                            .map(rows -> rows.iterator().next()));
            out.add(row.getString("t"));
        }
        return out;
    }

    /*
     * Doubles whose JDK 17 text is not the shortest (4.9E-324, 9.999999999999999E22 for 1.0E23) are
     * left out: PostgreSQL writes the shortest digits, as JDK 19 and later do.
     */
    @Test
    void shouldWriteDoublesAsDoubleToStringDoes() throws Throwable {
        List<Double> values = List.of(
                0.0,
                -0.0,
                1200.0,
                100.25,
                1.0,
                10.0,
                0.2,
                1.087,
                4.9162,
                13.718548,
                0.001,
                0.000999,
                0.0005,
                0.000123456,
                0.0001,
                1.0E-5,
                1.5E-7,
                9999999.0,
                1.0E7,
                12345678.5,
                1.0E15,
                1.5E20,
                123456789012345.6,
                -2.5,
                -0.0005,
                -1.5E7,
                0.30000000000000004,
                1.0 / 3);
        List<String> expected = values.stream().map(String::valueOf).toList();
        assertEquals(expected, texts(JavaText.doubleToString("$1::float8"), values));
    }

    @Test
    void shouldWriteDoublesAsTheJsonOfTheGeneralPathDoes() throws Throwable {
        List<Double> values = List.of(
                0.0,
                -0.0,
                1200.0,
                -7.0,
                1.7976931348623157E308,
                4.0,
                0.2,
                1.087,
                0.001,
                0.0005,
                0.000123456,
                1.0E-5,
                1.0E-6,
                1.5E-7,
                9999999.0,
                1.0E7,
                1.5E7,
                12345678.5,
                123456789.0,
                1.0E15,
                1.5E20,
                -2.5,
                -0.0005,
                -1.5E7,
                1.0 / 3);
        List<String> expected =
                values.stream().map(d -> BigDecimal.valueOf(d).toString()).toList();
        assertEquals(expected, texts(JavaText.doubleJson("$1::float8") + "::text", values));
    }

    /**
     * PostgreSQL plans a compiled page at each execution, in a time that grows with its text: a value's
     * expression is a few reads of it, the rare layouts are one call.
     */
    @Test
    void shouldKeepTheExpressionOfANumberSmall() {
        String column = "r.latency_seconds";
        assertTrue(JavaText.doubleJson(column).length() < 300, () -> JavaText.doubleJson(column));
        assertTrue(JavaText.doubleToString(column).length() < 100, () -> JavaText.doubleToString(column));
        assertTrue(JavaText.decimalJson("r.total_cost").length() < 200, () -> JavaText.decimalJson("r.total_cost"));
    }

    @Test
    void shouldWriteDecimalsAsBigDecimalToStringDoes() throws Throwable {
        List<BigDecimal> values = Stream.of(
                        "0",
                        "0.00000000",
                        "0.000000",
                        "0.0000001",
                        "0.00000015",
                        "0.00025",
                        "0.000001",
                        "12.5",
                        "-0.00000015",
                        "123456789.123456789",
                        "1.50")
                .map(BigDecimal::new)
                .toList();
        List<String> expected = values.stream().map(BigDecimal::toString).toList();
        assertEquals(expected, texts(JavaText.decimalJson("$1::numeric") + "::text", values));
    }

    @Test
    void shouldWriteTimesAsTheDateTimeScalarAndOffsetDateTimeToStringDo() throws Throwable {
        List<OffsetDateTime> values = new ArrayList<>();
        OffsetDateTime base = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        for (int nanos : new int[] {0, 500_000_000, 123_000_000, 123_456_000, 1_000, 100_000_000}) {
            values.add(base.plusNanos(nanos));
            values.add(base.plusSeconds(7).plusNanos(nanos));
        }
        values.add(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)));
        List<String> iso = values.stream()
                .map(t -> t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .toList();
        List<String> plain = values.stream()
                .map(t -> t.withOffsetSameInstant(ZoneOffset.UTC).toString())
                .toList();
        assertEquals(iso, texts(JavaText.isoTime("$1::timestamptz"), values));
        assertEquals(plain, texts(JavaText.offsetDateTimeToString("$1::timestamptz"), values));
    }
}
