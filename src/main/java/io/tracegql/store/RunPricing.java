package io.tracegql.store;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Estimates the costs of llm runs from the tenant's model prices, in one set-based statement over a
 * set of runs: the runs of an ingest request, in its transaction, after they were written (so the
 * costs follow the tokens whatever order the post and its patches arrive in), or the runs that
 * started in a window ({@code repriceRuns}).
 *
 * <p>A run is priced when it is an llm run with prompt or completion tokens, its costs were not sent
 * by the client (costs a client sent always win), and a price matches: its pattern matches the whole
 * model name ({@code extra.metadata.ls_model_name}, else {@code extra.invocation_params.model} or
 * {@code model_name}), ignoring case; its provider, if it names one, is the run's {@code ls_provider};
 * and its start date is not after the run's start. Of several, the tenant's own prices come before
 * built-in ones, then one naming the provider before one naming none, then the longest pattern (the
 * most specific), then the newest start date. Tokens of a detail with a detail price (e.g.
 * {@code prompt_token_details.cache_read}) cost that price and are itemised in the cost details; the
 * rest cost the base price. A run without a matching price keeps null costs: unpriced, never $0. An
 * estimate whose run no longer finds a price (its model changed) is cleared.
 */
@ApplicationScoped
public class RunPricing {

    /** Whether the model name {@code name} matches the pattern of price {@code p}. */
    static final String MATCHES = "%s ~* ('^(?:' || p.match_pattern || ')$')";

    private static final String BY_IDS = statement("r.id = any($2::uuid[])");
    private static final String IN_WINDOW =
            statement("r.start_time >= $2::timestamptz and r.start_time < $3::timestamptz"
                    + " and ($4::uuid is null or r.project_id = $4::uuid)");

    private final Sql sql;

    public RunPricing(Sql sql) {
        this.sql = sql;
    }

    /** Prices these runs of the tenant (on the connection of the transaction that wrote them). */
    public Uni<Integer> priceRuns(SqlClient connection, UUID tenantId, Collection<UUID> runIds) {
        if (runIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return sql.query(connection, BY_IDS, Tuple.of(tenantId, runIds.toArray(UUID[]::new)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Prices again the runs that started in [from, to), of one project or all: after prices changed.
     * Returns how many runs' costs changed.
     */
    public Uni<Integer> repriceRuns(UUID tenantId, OffsetDateTime from, OffsetDateTime to, UUID projectId) {
        return sql.inTransaction(connection -> sql.query(
                        connection, Sql.PLANNED_FOR_VALUES + IN_WINDOW, Tuple.of(tenantId, from, to, projectId))
                .map(rows -> rows.rowCount()));
    }

    private static String statement(String runs) {
        String model = "coalesce(r.extra #>> '{metadata,ls_model_name}', r.extra #>> '{invocation_params,model}',"
                + " r.extra #>> '{invocation_params,model_name}')";
        return "with target as (select r.id, r.start_time, r.prompt_tokens, r.completion_tokens,"
                + " r.prompt_token_details, r.completion_token_details, " + model + " as model,"
                + " r.extra #>> '{metadata,ls_provider}' as provider"
                + " from runs r where r.tenant_id = $1 and " + runs + " and r.run_type = 'llm'"
                + " and (r.costs_estimated or (r.prompt_cost is null and r.completion_cost is null"
                + " and r.total_cost is null))),"
                // Each distinct model name is matched once against the tenant's patterns.
                + " candidates as (select m.model, p.id, p.provider, p.start_date, p.prompt_price, p.completion_price,"
                + " p.prompt_detail_prices, p.completion_detail_prices, p.builtin_key is null as own,"
                + " length(p.match_pattern) as specificity"
                + " from (select distinct model from target where model is not null) m"
                + " join model_prices p on p.tenant_id = $1 and " + MATCHES.formatted("m.model") + "),"
                + " best as (select distinct on (t.id) t.id as run_id, c.id as price_id, c.prompt_price,"
                + " c.completion_price, c.prompt_detail_prices, c.completion_detail_prices"
                + " from target t join candidates c on c.model = t.model"
                + " and (c.provider is null or lower(c.provider) = lower(t.provider))"
                + " and (c.start_date is null or c.start_date <= t.start_time)"
                + " where t.prompt_tokens is not null or t.completion_tokens is not null"
                + " order by t.id, c.own desc, (c.provider is not null) desc, c.specificity desc,"
                + " c.start_date desc nulls last, c.id),"
                + " costs as (select t.id, b.price_id,"
                + side("prompt") + ", " + side("completion")
                + " from target t left join best b on b.run_id = t.id"
                + details("prompt") + details("completion") + "),"
                + " estimates as (select c.*, case when c.prompt_cost is null and c.completion_cost is null then null"
                + " else coalesce(c.prompt_cost, 0) + coalesce(c.completion_cost, 0) end as total_cost from costs c)"
                + " update runs r set prompt_cost = e.prompt_cost, completion_cost = e.completion_cost,"
                + " total_cost = e.total_cost, prompt_cost_details = e.prompt_cost_details,"
                + " completion_cost_details = e.completion_cost_details, price_model_id = e.price_id,"
                + " costs_estimated = e.price_id is not null, updated_at = now()"
                + " from estimates e where r.tenant_id = $1 and r.id = e.id"
                // Unpriced runs that carry no estimate are left as they are (and a price a client named).
                + " and (e.price_id is not null or r.costs_estimated)"
                + " and (r.price_model_id, r.prompt_cost, r.completion_cost, r.total_cost, r.prompt_cost_details,"
                + " r.completion_cost_details, r.costs_estimated) is distinct from (e.price_id, e.prompt_cost,"
                + " e.completion_cost, e.total_cost, e.prompt_cost_details, e.completion_cost_details,"
                + " e.price_id is not null)";
    }

    /**
     * The cost of one side (prompt or completion) and its details: the side's tokens not in a priced
     * detail at the base price, plus each priced detail at its own price, per million tokens.
     */
    private static String side(String side) {
        String tokens = "t." + side + "_tokens";
        String d = side.charAt(0) + "d";
        return "case when b.price_id is not null and " + tokens + " is not null then trim_scale((greatest(" + tokens
                + " - " + d + ".tokens, 0) * b." + side + "_price + " + d + ".cost) / 1000000) end as " + side
                + "_cost, case when b.price_id is not null and " + tokens + " is not null then " + d
                + ".details end as "
                + side + "_cost_details";
    }

    /** Token counts of a side's details that have a price, their cost (times a million) and itemised costs. */
    private static String details(String side) {
        String d = side.charAt(0) + "d";
        String prices = "b." + side + "_detail_prices";
        return " cross join lateral (select coalesce(sum(x.n), 0) as tokens, coalesce(sum(x.n * x.price), 0) as cost,"
                + " jsonb_object_agg(x.key, trim_scale(x.n * x.price / 1000000)) as details"
                + " from (select d.key, d.value::numeric as n, (" + prices + " ->> d.key)::numeric as price"
                + " from jsonb_each(t." + side + "_token_details) d where jsonb_typeof(d.value) = 'number'"
                + " and jsonb_typeof(" + prices + " -> d.key) = 'number' and d.value::numeric >= 0) x) " + d;
    }
}
