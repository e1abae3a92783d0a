package io.tracegql.store;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunField;
import io.tracegql.support.GraphQL;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The run field catalogue against what it describes: the columns of {@code runs} and the Run type. */
@QuarkusTest
class RunFieldCatalogueTest {

    @Inject
    Sql sql;

    /** Every column is a catalogue field of the column's type, or one of the few that are not run fields. */
    @Test
    void shouldDescribeEveryColumnOfRunsWithItsType() throws Throwable {
        Map<String, String> columns = new TreeMap<>();
        VertxContextSupport.subscribeAndAwait(() -> sql.query(
                        "select column_name, udt_name from information_schema.columns"
                                + " where table_schema = current_schema() and table_name = $1",
                        Tuple.of("runs"))
                .invoke(rows -> rows.forEach(row -> columns.put(row.getString(0), row.getString(1)))));
        Map<String, String> described = new TreeMap<>();
        for (RunField field : RunField.values()) {
            if (field.stored()) {
                described.put(field.column(), udtName(RunRows.sqlType(field)));
            }
        }
        RunField.OTHER_COLUMNS.forEach(column -> described.put(column, columns.getOrDefault(column, "(missing)")));
        assertEquals(described, columns);
    }

    /** Each GraphQL name the catalogue gives a field is a field of Run. */
    @Test
    void shouldNameOnlyFieldsOfTheRunType() {
        JsonNode fields = GraphQL.data("{ __type(name: \"Run\") { fields { name } } }")
                .get("__type")
                .get("fields");
        TreeSet<String> schema = new TreeSet<>();
        fields.forEach(field -> schema.add(field.get("name").asText()));
        TreeSet<String> named = new TreeSet<>();
        Arrays.stream(RunField.values()).forEach(field -> named.addAll(field.graphqlNames()));
        TreeSet<String> unknown = new TreeSet<>(named);
        unknown.removeAll(schema);
        assertEquals(new TreeSet<>(), unknown, "catalogue names that are not fields of Run");
    }

    /** information_schema names array types by their element type with a leading underscore. */
    private static String udtName(String sqlType) {
        return switch (sqlType) {
            case "text[]" -> "_text";
            case "timestamptz", "uuid", "text", "float8", "int4", "numeric", "bool", "jsonb" -> sqlType;
            default -> throw new IllegalArgumentException(sqlType);
        };
    }
}
