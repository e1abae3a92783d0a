package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunField;
import io.tracegql.store.RunRecord;

/**
 * Runs as LangSmith clients read them: every field of the catalogue that LangSmith's v1 run has, by
 * its v1 name (snake_case JSON, times as ISO-8601 strings), plus what follows from the tree position.
 */
final class RunView {

    /** The fields of the v1 run, in catalogue order; feedback stats only when they were loaded. */
    private static final List<RunField> FIELDS = Arrays.stream(RunField.values())
            .filter(field -> field.v1Name() != null && field != RunField.FEEDBACK_STATS)
            .toList();

    /** LangSmith select names and the fields they need. */
    private static final Map<String, RunField> SELECTABLE = bySelectName();

    private RunView() {}

    /** Fields for a LangSmith {@code select} list; every field when it is empty. Unknown names are skipped. */
    static Set<RunField> columns(List<String> select) {
        EnumSet<RunField> fields = EnumSet.noneOf(RunField.class);
        if (select == null || select.isEmpty()) {
            fields.addAll(FIELDS);
            return fields;
        }
        for (String name : select) {
            RunField field = SELECTABLE.get(name);
            if (field != null) {
                fields.add(field);
            }
        }
        return fields;
    }

    static Map<String, Object> of(RunRecord run, List<FeedbackStat> feedback) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (RunField field : FIELDS) {
            Object value = run.get(field);
            json.put(field.v1Name(), value instanceof OffsetDateTime time ? time.toString() : value);
        }
        String dottedOrder = run.get(RunField.DOTTED_ORDER);
        json.put("parent_run_ids", DottedOrder.ancestorIds(dottedOrder));
        json.put("is_root", run.get(RunField.PARENT_RUN_ID) == null);
        if (feedback != null) {
            json.put("feedback_stats", feedbackStats(feedback));
        }
        return json;
    }

    /** LangSmith's feedback stats shape: {key: {n, avg, values: {value: count}}}. */
    static Map<String, Object> feedbackStats(List<FeedbackStat> stats) {
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (FeedbackStat stat : stats) {
            Map<String, Object> values = new LinkedHashMap<>();
            stat.values().forEach(v -> values.put(v.value(), v.count()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("n", stat.count());
            entry.put("avg", stat.meanScore());
            entry.put("values", values);
            byKey.put(stat.key(), entry);
        }
        return byKey;
    }

    private static Map<String, RunField> bySelectName() {
        Map<String, RunField> byName = new LinkedHashMap<>();
        FIELDS.forEach(field -> byName.put(field.v1Name(), field));
        return Collections.unmodifiableMap(byName);
    }
}
