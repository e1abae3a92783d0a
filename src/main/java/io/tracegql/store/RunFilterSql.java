package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.tracegql.domain.RunFilter;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilterField;
import io.tracegql.domain.RunFilterField.ValueType;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;

/**
 * Compiles a {@link RunFilter} into a SQL condition on the runs table (alias {@code r}), one node at
 * a time, with the expressions of {@link RunFilterField}. Every condition is written the way an
 * index can serve it: plain comparisons on columns, {@code @>}/{@code &&} on tags and metadata
 * (GIN), and the search expression of the runs_search index.
 */
final class RunFilterSql {

    private RunFilterSql() {}

    /** Appends the condition, always a complete boolean expression ("true" when nothing is asked). */
    static void append(SqlBuilder sql, RunFilter filter) {
        if (filter instanceof RunFilter.All all) {
            all(sql, all.filters());
        } else if (filter instanceof RunFilter.Any any) {
            group(sql, any.filters(), " or ", "false");
        } else if (filter instanceof Compare compare) {
            compare(sql, compare);
        } else if (filter instanceof RunFilter.Search search) {
            // The same expression as the runs_search index: only then can the GIN index serve it.
            sql.append("r.search_vector @@ websearch_to_tsquery('simple', ")
                    .param(search.text(), "text")
                    .append(")");
        } else if (filter instanceof RunFilter.Metadata metadata) {
            sql.append(RunFilterField.METADATA_KEY.sql())
                    .append(" @> jsonb_build_object(")
                    .param(metadata.key(), "text")
                    .append(", ")
                    .param(metadata.value(), "text")
                    .append(")");
        } else if (filter instanceof RunFilter.TraceRoot traceRoot) {
            otherRunOfTrace(sql, "r.id", traceRoot.filter());
        } else if (filter instanceof RunFilter.SomeRunOfTrace someRun) {
            otherRunOfTrace(sql, "r.trace_id", someRun.filter());
        } else if (filter instanceof RunFilter.Feedback feedback) {
            sql.append("exists (select 1 from feedback f where f.tenant_id = r.tenant_id and f.run_id = r.id and ")
                    .append(RunFilterField.FEEDBACK_KEY.sql())
                    .append(" = ")
                    .param(feedback.key(), "text");
            for (Compare bound : feedback.score()) {
                sql.append(" and ");
                compare(sql, bound);
            }
            sql.append(")");
        }
    }

    /**
     * An exists (...) over the runs of the same trace whose {@code traceColumn} is the run's trace id
     * ({@code r.id}: its root, by the primary key; {@code r.trace_id}: any of them, by runs_trace_order)
     * and that match {@code filter}. The filter compiles against {@code r} as every filter does, so
     * inside the exists {@code r} is the other run; the run being filtered is read first, in the
     * derived table {@code of_run}, where {@code r} still names it.
     */
    private static void otherRunOfTrace(SqlBuilder sql, String traceColumn, RunFilter filter) {
        sql.append("exists (select 1 from (select r.tenant_id, r.trace_id) as of_run (tenant_id, trace_id),"
                        + " lateral (select 1 from runs r where r.tenant_id = of_run.tenant_id and ")
                .append(traceColumn)
                .append(" = of_run.trace_id and ");
        append(sql, filter);
        sql.append(") as match)");
    }

    /**
     * The tags that the has() conditions of one group ask for are one containment, where the first
     * of them stands, as a list of required tags is: one GIN lookup rather than one per tag.
     */
    private static void all(SqlBuilder sql, List<RunFilter> filters) {
        List<String> requiredTags = new ArrayList<>();
        List<RunFilter> parts = new ArrayList<>(filters.size());
        for (RunFilter filter : filters) {
            if (filter instanceof Compare c && c.op() == RunFilter.Op.HAS) {
                if (requiredTags.isEmpty()) {
                    parts.add(filter);
                }
                requiredTags.add((String) c.value());
            } else {
                parts.add(filter);
            }
        }
        if (parts.isEmpty()) {
            sql.append("true");
            return;
        }
        if (parts.size() > 1) {
            sql.append("(");
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(" and ");
            }
            if (parts.get(i) instanceof Compare c && c.op() == RunFilter.Op.HAS) {
                sql.append(c.field().sql()).append(" @> ").param(requiredTags.toArray(String[]::new), "text[]");
            } else {
                append(sql, parts.get(i));
            }
        }
        if (parts.size() > 1) {
            sql.append(")");
        }
    }

    private static void group(SqlBuilder sql, List<RunFilter> filters, String operator, String empty) {
        if (filters.isEmpty()) {
            sql.append(empty);
            return;
        }
        if (filters.size() > 1) {
            sql.append("(");
        }
        for (int i = 0; i < filters.size(); i++) {
            if (i > 0) {
                sql.append(operator);
            }
            append(sql, filters.get(i));
        }
        if (filters.size() > 1) {
            sql.append(")");
        }
    }

    private static void compare(SqlBuilder sql, Compare compare) {
        RunFilterField field = compare.field();
        ValueType type = field.type();
        Object value = compare.value();
        if (type == ValueType.BOOLEAN) {
            sql.append((Boolean) value ? field.sql() : field.sqlWhenFalse());
            return;
        }
        sql.append(field.sql());
        switch (compare.op()) {
            case EQ -> sql.append(" = ").param(bound(value), type.sqlType());
            case IN -> {
                if (type == ValueType.TAGS) {
                    sql.append(" && ").param(texts((List<?>) value), "text[]");
                } else {
                    sql.append(" = any(")
                            .param(array((List<?>) value, type), type.sqlType() + "[]")
                            .append(")");
                }
            }
            case HAS -> sql.append(" @> ").param(new String[] {(String) value}, "text[]");
            case GTE -> sql.append(" >= ").param(value, type.sqlType());
            case LT -> sql.append(" < ").param(value, type.sqlType());
            case LTE -> sql.append(" <= ").param(value, type.sqlType());
        }
    }

    /** A value as it is bound: enums by the names they are stored as. */
    private static Object bound(Object value) {
        if (value instanceof RunType runType) {
            return runType.wireName();
        }
        if (value instanceof RunStatus status) {
            return status.wireName();
        }
        return value;
    }

    private static Object array(List<?> values, ValueType type) {
        if (type == ValueType.UUID) {
            return values.toArray(UUID[]::new);
        }
        return texts(values);
    }

    private static String[] texts(List<?> values) {
        return values.stream().map(v -> (String) bound(v)).toArray(String[]::new);
    }
}
