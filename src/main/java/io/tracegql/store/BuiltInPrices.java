package io.tracegql.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The built-in model prices ({@value #RESOURCE}), copied into every tenant: at start into every
 * tenant that exists, and into each tenant created later. Each tenant gets rows of its own rather than
 * sharing rows without a tenant, so that it can change or delete a built-in price like one of its own,
 * every read stays scoped to one tenant, and pricing a run reads the prices of its tenant only.
 * Seeding is idempotent: an entry is copied into a tenant once (model_price_seeds remembers it), so a
 * price the tenant changed is never overwritten and one it deleted never comes back; a price of the
 * tenant's own for the same pattern, provider and start date is kept instead of the entry.
 */
@Singleton
public class BuiltInPrices {

    static final String RESOURCE = "prices/model-prices.json";

    private static final String SEED = "with entries as (select * from jsonb_to_recordset($1::jsonb) as e(key text,"
            + " model text, pattern text, provider text, start timestamptz, prompt numeric, completion numeric,"
            + " prompt_details jsonb, completion_details jsonb)),"
            + " fresh as (insert into model_price_seeds (tenant_id, builtin_key) select t.id, e.key from tenants t"
            + " cross join entries e where $2::uuid is null or t.id = $2::uuid on conflict do nothing"
            + " returning tenant_id, builtin_key)"
            + " insert into model_prices (id, tenant_id, model_name, match_pattern, provider, start_date,"
            + " prompt_price, completion_price, prompt_detail_prices, completion_detail_prices, builtin_key)"
            + " select gen_random_uuid(), f.tenant_id, e.model, e.pattern, e.provider, e.start, trim_scale(e.prompt),"
            + " trim_scale(e.completion), e.prompt_details, e.completion_details, e.key"
            + " from fresh f join entries e on e.key = f.builtin_key on conflict do nothing";

    private final Sql sql;
    private final List<Entry> entries;

    public BuiltInPrices(Sql sql) {
        this.sql = sql;
        this.entries = load();
    }

    /** One price of the file; start is null for a price that applies since always. */
    public record Entry(
            String key,
            String model,
            String pattern,
            String provider,
            OffsetDateTime start,
            BigDecimal prompt,
            BigDecimal completion,
            Map<String, Object> promptDetails,
            Map<String, Object> completionDetails) {}

    public List<Entry> entries() {
        return entries;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> seed(null));
    }

    /** Copies the entries a tenant (every tenant, when null) was not given yet; returns how many rows were added. */
    public Uni<Integer> seed(UUID tenantId) {
        JsonArray rows = new JsonArray();
        for (Entry entry : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", entry.key());
            row.put("model", entry.model());
            row.put("pattern", entry.pattern());
            row.put("provider", entry.provider());
            row.put("start", entry.start() == null ? null : entry.start().toString());
            row.put("prompt", entry.prompt().toPlainString());
            row.put("completion", entry.completion().toPlainString());
            row.put("prompt_details", entry.promptDetails());
            row.put("completion_details", entry.completionDetails());
            rows.add(row);
        }
        return sql.query(SEED, Tuple.of(rows, tenantId)).map(result -> result.rowCount());
    }

    private static List<Entry> load() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        JsonNode file;
        try (InputStream in = BuiltInPrices.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            file = mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " is not valid JSON", e);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonNode price : file.path("prices")) {
            String key = required(price, "key");
            if (!keys.add(key)) {
                throw new IllegalStateException(RESOURCE + ": the key " + key + " is used twice");
            }
            entries.add(new Entry(
                    key,
                    required(price, "model"),
                    required(price, "pattern"),
                    price.hasNonNull("provider") ? price.get("provider").asText() : null,
                    price.hasNonNull("start")
                            ? LocalDate.parse(price.get("start").asText())
                                    .atStartOfDay()
                                    .atOffset(ZoneOffset.UTC)
                            : null,
                    amount(price, key, "prompt"),
                    amount(price, key, "completion"),
                    details(price, key, "prompt_details"),
                    details(price, key, "completion_details")));
        }
        return List.copyOf(entries);
    }

    private static String required(JsonNode price, String field) {
        if (!price.hasNonNull(field) || price.get(field).asText().isBlank()) {
            throw new IllegalStateException(RESOURCE + ": an entry has no " + field + ": " + price);
        }
        return price.get(field).asText();
    }

    private static BigDecimal amount(JsonNode price, String key, String field) {
        JsonNode value = price.get(field);
        if (value == null || !value.isNumber() || value.decimalValue().signum() < 0) {
            throw new IllegalStateException(RESOURCE + ": " + key + "." + field + " must be a number, 0 or more");
        }
        return value.decimalValue();
    }

    private static Map<String, Object> details(JsonNode price, String key, String field) {
        JsonNode value = price.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        value.fields().forEachRemaining(detail -> {
            if (!detail.getValue().isNumber()
                    || detail.getValue().decimalValue().signum() < 0) {
                throw new IllegalStateException(
                        RESOURCE + ": " + key + "." + field + "." + detail.getKey() + " must be a number, 0 or more");
            }
            details.put(detail.getKey(), detail.getValue().decimalValue());
        });
        return details;
    }
}
