package io.tracegql.store;

import java.util.EnumSet;
import java.util.List;

import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.RunField;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunSelectionTest {

    @Test
    void shouldComputeProjectionsInTheSelectListWithPathsAsParametersAndWithoutTheirColumns() {
        RunSelection selection = RunSelection.of(
                EnumSet.of(RunField.NAME),
                List.of(
                        new JsonProjection(RunField.INPUTS, "$.messages[last]"),
                        new JsonProjection(RunField.OUTPUTS, "$.output"),
                        new JsonProjection(RunField.INPUTS, "$.messages[last]"),
                        new JsonProjection(RunField.EXTRA, "$.output")));
        SqlBuilder sql = new SqlBuilder().append("select ");
        selection.appendSelect(sql);
        sql.append(" from runs r where true");
        selection.appendPathChecks(sql);
        assertEquals(
                "select r.id, r.project_id, r.trace_id, r.parent_run_id, r.dotted_order, r.name,"
                        + " jsonb_path_query_first(r.inputs, $1::text::jsonpath, '{}', true) as projection_0,"
                        + " jsonb_path_query_first(r.outputs, $2::text::jsonpath, '{}', true) as projection_1,"
                        + " jsonb_path_query_first(r.extra, $3::text::jsonpath, '{}', true) as projection_2"
                        + " from runs r where true"
                        + " and $4::text::jsonpath is not null and $5::text::jsonpath is not null",
                sql.sql());
        Tuple parameters = sql.tuple();
        assertEquals(5, parameters.size());
        assertEquals(
                List.of("$.messages[last]", "$.output", "$.output", "$.messages[last]", "$.output"),
                List.of(
                        parameters.getString(0),
                        parameters.getString(1),
                        parameters.getString(2),
                        parameters.getString(3),
                        parameters.getString(4)));
    }
}
