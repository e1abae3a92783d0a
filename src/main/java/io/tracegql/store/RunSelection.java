package io.tracegql.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import io.tracegql.domain.RunField;

/**
 * What a run query reads: columns (always with {@link RunRows#KEYS}) and JSON projections, each
 * computed in the same statement with its path as a bind parameter, so that a list page can show
 * the last message of a conversation without reading the rest of it.
 */
public final class RunSelection implements RunSelectList {

    private final EnumSet<RunField> columns;
    private final List<JsonProjection> projections;

    private RunSelection(Set<RunField> columns, Collection<JsonProjection> projections) {
        this.columns = EnumSet.noneOf(RunField.class);
        this.columns.addAll(columns);
        this.projections = List.copyOf(new LinkedHashSet<>(projections));
    }

    public static RunSelection of(Set<RunField> columns) {
        return new RunSelection(columns, List.of());
    }

    /** These columns and projections; a projection asked for twice (e.g. under two aliases) is read once. */
    public static RunSelection of(Set<RunField> columns, Collection<JsonProjection> projections) {
        return new RunSelection(columns, projections);
    }

    public Set<RunField> columns() {
        return Collections.unmodifiableSet(columns);
    }

    public List<JsonProjection> projections() {
        return projections;
    }

    /** The same selection plus one column. */
    RunSelection with(RunField column) {
        EnumSet<RunField> more = EnumSet.of(column);
        more.addAll(columns);
        return new RunSelection(more, projections);
    }

    /** Appends the select list: keys, columns, then one {@code projection_<n>} per projection. */
    @Override
    public void appendSelect(SqlBuilder sql) {
        sql.append(RunRows.selectList(columns));
        for (int i = 0; i < projections.size(); i++) {
            JsonProjection projection = projections.get(i);
            sql.append(", jsonb_path_query_first(")
                    .append(RunRows.select(projection.column()))
                    .append(", ")
                    .param(projection.path(), "text")
                    .append("::jsonpath, '{}', true) as projection_")
                    .append(String.valueOf(i));
        }
    }

    /**
     * Appends one condition per path that holds whenever the path is valid. It has no column, so
     * PostgreSQL checks it once before reading any row: an invalid path fails the statement even
     * when no run matches, instead of only when a row is projected.
     */
    @Override
    public void appendPathChecks(SqlBuilder sql) {
        for (String path : paths()) {
            sql.append(" and ").param(path, "text").append("::jsonpath is not null");
        }
    }

    /** The distinct paths, in the order they were asked for. */
    List<String> paths() {
        return projections.stream().map(JsonProjection::path).distinct().toList();
    }

    RunRecord read(Row row) {
        RunRecord run = RunRows.read(row, columns);
        for (int i = 0; i < projections.size(); i++) {
            Object value = row.getValue("projection_" + i);
            // A path that selects a JSON null reads as the client's JSON_NULL marker: null either way.
            run.projection(projections.get(i), value == Tuple.JSON_NULL ? null : JsonValues.toPlain(value));
        }
        return run;
    }

    List<RunRecord> readAll(Iterable<Row> rows) {
        List<RunRecord> runs = new ArrayList<>();
        for (Row row : rows) {
            runs.add(read(row));
        }
        return runs;
    }
}
