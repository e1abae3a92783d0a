package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Tuple;

/** Builds one SQL statement and its positional parameters together, so the two never drift apart. */
final class SqlBuilder {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();
    private boolean plannedForValues;

    SqlBuilder append(String text) {
        sql.append(text);
        return this;
    }

    /** Appends a placeholder for this value with an explicit type, e.g. {@code param(x, "uuid[]")}. */
    SqlBuilder param(Object value, String type) {
        parameters.add(value);
        sql.append('$').append(parameters.size()).append("::").append(type);
        return this;
    }

    /**
     * Has PostgreSQL plan this statement for its parameter values at every execution instead of
     * keeping a generic plan: for statements whose best plan depends on how selective a filter's
     * values are (see {@link Sql#PLANNED_FOR_VALUES}).
     */
    SqlBuilder planForValues() {
        plannedForValues = true;
        return this;
    }

    String sql() {
        return plannedForValues ? Sql.PLANNED_FOR_VALUES + sql : sql.toString();
    }

    Tuple tuple() {
        return Tuple.from(parameters);
    }
}
