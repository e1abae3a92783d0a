package io.tracegql.store;

import java.util.UUID;
import java.util.function.Consumer;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The one statement that counts run facets, for any set of runs: value counts of name, run_type,
 * status and tag, the metadata keys ({@code metadata}: how many runs have each key), and the scalar
 * values of each of those metadata keys ({@code metadata.<key>}). Each facet keeps its most frequent
 * values (ties by value), and only the metadata keys kept in the {@code metadata} facet get a value
 * facet, so the answer has at most {@code (5 + limit) * limit} rows per group.
 */
final class RunFacetSql {

    private RunFacetSql() {}

    /**
     * Facets of the runs of this tenant that match {@code condition} (appended after "and"), counted
     * per {@code group} (an expression over runs {@code r}, selected as {@code grp}).
     */
    static SqlBuilder query(UUID tenantId, String group, Consumer<SqlBuilder> condition, int limit) {
        SqlBuilder query = new SqlBuilder()
                .append("with r as (select ")
                .append(group)
                .append(" as grp, r.name, r.run_type, r.status, r.tags, r.extra -> 'metadata' as metadata")
                .append(" from runs r where r.tenant_id = ")
                .param(tenantId, "uuid")
                .append(" and ");
        condition.accept(query);
        query.append("),"
                        + " m as (select r.grp, m.key, m.value from r, jsonb_each(case when jsonb_typeof(r.metadata)"
                        + " = 'object' then r.metadata else '{}' end) m),"
                        + " facets as ("
                        + " select grp, 'name' as key, name as value from r"
                        + " union all select grp, 'run_type', run_type from r"
                        + " union all select grp, 'status', status from r"
                        + " union all select grp, 'tag', unnest(tags) from r"
                        + " union all select grp, 'metadata', key from m"
                        + " union all select grp, 'metadata.' || key, value #>> '{}' from m"
                        + " where jsonb_typeof(value) in ('string', 'number', 'boolean')),"
                        + " counted as (select grp, key, value, count(*) as n,"
                        + " row_number() over (partition by grp, key order by count(*) desc, value) as rank"
                        + " from facets group by grp, key, value),"
                        + " top as (select grp, key, value, n from counted where rank <= ")
                .param(limit, "int4")
                .append(")"
                        + " select t.grp, t.key, t.value, t.n from top t"
                        + " where not starts_with(t.key, 'metadata.') or exists (select 1 from top k"
                        + " where k.grp is not distinct from t.grp and k.key = 'metadata'"
                        + " and 'metadata.' || k.value = t.key)"
                        + " order by t.grp, t.key, t.n desc, t.value");
        return query;
    }

    static RunFacet read(Row row) {
        return new RunFacet(row.getString("key"), row.getString("value"), row.getLong("n"));
    }
}
