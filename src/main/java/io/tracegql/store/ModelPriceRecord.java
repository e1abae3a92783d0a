package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A price of a model as stored: USD per million prompt and completion tokens, and per million tokens
 * of named token details, for the runs whose model name matches the pattern (and whose provider is the
 * one named, if any) from the start date on. {@code builtinKey} names the built-in entry it was copied
 * from, or is null for a tenant's own price.
 */
public record ModelPriceRecord(
        UUID id,
        String modelName,
        String matchPattern,
        String provider,
        OffsetDateTime startDate,
        BigDecimal promptPrice,
        BigDecimal completionPrice,
        Map<String, Object> promptDetailPrices,
        Map<String, Object> completionDetailPrices,
        String builtinKey,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static final String COLUMNS = "id, model_name, match_pattern, provider, start_date, prompt_price, completion_price,"
            + " prompt_detail_prices, completion_detail_prices, builtin_key, created_at, updated_at";

    @SuppressWarnings("unchecked")
    static ModelPriceRecord read(Row row) {
        return new ModelPriceRecord(
                row.getUUID("id"),
                row.getString("model_name"),
                row.getString("match_pattern"),
                row.getString("provider"),
                row.getOffsetDateTime("start_date"),
                row.getBigDecimal("prompt_price"),
                row.getBigDecimal("completion_price"),
                (Map<String, Object>) JsonValues.toPlain(row.getValue("prompt_detail_prices")),
                (Map<String, Object>) JsonValues.toPlain(row.getValue("completion_detail_prices")),
                row.getString("builtin_key"),
                row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }
}
