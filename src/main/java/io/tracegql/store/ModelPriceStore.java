package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Reads and writes a tenant's model prices, one statement each. A pattern is checked by PostgreSQL
 * itself, in the statement that writes it, with the same expression that matches it against model
 * names when runs are priced ({@link RunPricing#MATCHES}); a pattern it refuses, or a second price
 * for the same pattern, provider and start date, becomes a {@link RejectedWriteException}.
 */
@ApplicationScoped
public class ModelPriceStore {

    private static final String INVALID_REGULAR_EXPRESSION = "2201B";
    private static final String UNIQUE_VIOLATION = "23505";

    /** Evaluates a pattern on an empty name, so that PostgreSQL compiles it (and refuses a bad one). */
    private static final String CHECK_PATTERN = "('' ~* ('^(?:' || %s || ')$')) is not null";

    private static final String LIST = "select " + ModelPriceRecord.COLUMNS + " from model_prices where tenant_id = $1"
            + " and ($2::text is null or strpos(lower(model_name), lower($2::text)) > 0)"
            + " order by lower(model_name), provider nulls first, start_date nulls first, id";

    private static final String INSERT = "insert into model_prices (id, tenant_id, model_name, match_pattern, provider,"
            + " start_date, prompt_price, completion_price, prompt_detail_prices, completion_detail_prices)"
            + " select $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::timestamptz, $7::numeric, $8::numeric,"
            + " $9::jsonb, $10::jsonb where " + CHECK_PATTERN.formatted("$4::text")
            + " returning " + ModelPriceRecord.COLUMNS;

    /** Null leaves a field as it is; the flags $5, $7, $11, $13 say whether a nullable field is set. */
    private static final String UPDATE = "update model_prices set model_name = coalesce($3::text, model_name),"
            + " match_pattern = coalesce($4::text, match_pattern),"
            + " provider = case when $5::bool then $6::text else provider end,"
            + " start_date = case when $7::bool then $8::timestamptz else start_date end,"
            + " prompt_price = coalesce($9::numeric, prompt_price),"
            + " completion_price = coalesce($10::numeric, completion_price),"
            + " prompt_detail_prices = case when $11::bool then $12::jsonb else prompt_detail_prices end,"
            + " completion_detail_prices = case when $13::bool then $14::jsonb else completion_detail_prices end,"
            + " updated_at = now()"
            + " where tenant_id = $1 and id = $2 and " + CHECK_PATTERN.formatted("coalesce($4::text, match_pattern)")
            + " returning " + ModelPriceRecord.COLUMNS;

    private static final String DELETE = "delete from model_prices where tenant_id = $1 and id = $2";

    private final Sql sql;

    public ModelPriceStore(Sql sql) {
        this.sql = sql;
    }

    /** A new price; detail prices map a token detail name to USD per million tokens, or are null. */
    public record NewPrice(
            String modelName,
            String matchPattern,
            String provider,
            OffsetDateTime startDate,
            BigDecimal promptPrice,
            BigDecimal completionPrice,
            Map<String, Object> promptDetailPrices,
            Map<String, Object> completionDetailPrices) {}

    /**
     * Changes to a price: a null field stays as it is. The nullable fields (provider, start date,
     * detail prices) change when their flag is set, to the value given, null included.
     */
    public record PriceChanges(
            String modelName,
            String matchPattern,
            boolean setProvider,
            String provider,
            boolean setStartDate,
            OffsetDateTime startDate,
            BigDecimal promptPrice,
            BigDecimal completionPrice,
            boolean setPromptDetailPrices,
            Map<String, Object> promptDetailPrices,
            boolean setCompletionDetailPrices,
            Map<String, Object> completionDetailPrices) {}

    /** The tenant's prices, by model name; only those whose model name contains a text, when given. */
    public Uni<List<ModelPriceRecord>> list(UUID tenantId, String nameContains) {
        return sql.read(LIST, Tuple.of(tenantId, nameContains)).map(ModelPriceStore::records);
    }

    public Uni<ModelPriceRecord> create(UUID tenantId, NewPrice price) {
        Tuple parameters = Tuple.from(Arrays.asList(
                UUID.randomUUID(),
                tenantId,
                price.modelName(),
                price.matchPattern(),
                price.provider(),
                price.startDate(),
                price.promptPrice(),
                price.completionPrice(),
                JsonValues.toParameter(price.promptDetailPrices()),
                JsonValues.toParameter(price.completionDetailPrices())));
        return refusals(sql.query(INSERT, parameters), price.matchPattern(), price.provider(), price.startDate())
                .map(rows -> records(rows).get(0));
    }

    /** The changed price; null when the tenant has no price of this id. */
    public Uni<ModelPriceRecord> update(UUID tenantId, UUID id, PriceChanges changes) {
        Tuple parameters = Tuple.from(Arrays.asList(
                tenantId,
                id,
                changes.modelName(),
                changes.matchPattern(),
                changes.setProvider(),
                changes.provider(),
                changes.setStartDate(),
                changes.startDate(),
                changes.promptPrice(),
                changes.completionPrice(),
                changes.setPromptDetailPrices(),
                JsonValues.toParameter(changes.promptDetailPrices()),
                changes.setCompletionDetailPrices(),
                JsonValues.toParameter(changes.completionDetailPrices())));
        return refusals(sql.query(UPDATE, parameters), changes.matchPattern(), changes.provider(), changes.startDate())
                .map(rows -> {
                    List<ModelPriceRecord> updated = records(rows);
                    return updated.isEmpty() ? null : updated.get(0);
                });
    }

    /** False when the tenant has no price of this id. A deleted built-in price is not seeded again. */
    public Uni<Boolean> delete(UUID tenantId, UUID id) {
        return sql.query(DELETE, Tuple.of(tenantId, id)).map(rows -> rows.rowCount() > 0);
    }

    private static Uni<RowSet<Row>> refusals(
            Uni<RowSet<Row>> write, String pattern, String provider, OffsetDateTime startDate) {
        return write.onFailure(PgException.class).transform(failure -> {
            PgException e = (PgException) failure;
            if (INVALID_REGULAR_EXPRESSION.equals(e.getSqlState())) {
                return new RejectedWriteException(
                        "input.matchPattern: " + quoted(pattern)
                                + " is not a valid PostgreSQL regular expression (" + e.getErrorMessage()
                                + "); the whole model name must match it, ignoring case, e.g. \"gpt-4o-mini(-\\\\d{4}-\\\\d{2}-\\\\d{2})?\"");
            }
            if (UNIQUE_VIOLATION.equals(e.getSqlState())) {
                return new RejectedWriteException("a price for this pattern, provider ("
                        + (provider == null ? "any" : provider) + ") and start date ("
                        + (startDate == null ? "none" : startDate) + ") exists; change that one with updateModelPrice"
                        + " (modelPrices lists the ids), or give another start date");
            }
            return e;
        });
    }

    private static String quoted(String pattern) {
        return pattern == null ? "the stored pattern" : "\"" + pattern + "\"";
    }

    private static List<ModelPriceRecord> records(RowSet<Row> rows) {
        List<ModelPriceRecord> records = new ArrayList<>();
        rows.forEach(row -> records.add(ModelPriceRecord.read(row)));
        return records;
    }
}
