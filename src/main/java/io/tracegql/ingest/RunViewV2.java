package io.tracegql.ingest;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.FeedbackStat;
import io.tracegql.domain.RunField;
import io.tracegql.store.RunRecord;

/**
 * Runs as LangSmith's v2 read API returns them: only the fields named in {@code selects} (by each
 * catalogue field's {@link RunField#selectName()}, keyed by its v2 name), with the v2 forms of values:
 * run types and statuses in upper case, token and cost details under {@code raw}, times as ISO-8601
 * strings. The id is always there.
 */
final class RunViewV2 {

    /** Selects that are no field of the catalogue: they follow from the tree position or the share link. */
    enum Derived {
        PARENT_RUN_IDS,
        IS_ROOT,
        SHARE_URL
    }

    /** Every catalogue field by its select name, in catalogue order. */
    private static final Map<String, RunField> FIELDS = bySelectName();

    private RunViewV2() {}

    /** What a {@code selects} list asks for; an empty list asks for the id only. */
    record Selects(Set<RunField> fields, Set<Derived> derived) {

        static Selects parse(String part, List<String> names) {
            EnumSet<RunField> fields = EnumSet.of(RunField.ID);
            EnumSet<Derived> derived = EnumSet.noneOf(Derived.class);
            for (String name : names) {
                RunField field = FIELDS.get(name);
                if (field != null) {
                    fields.add(field);
                    continue;
                }
                Derived computed = RunViewV2.derived(name);
                if (computed == null) {
                    throw IngestException.malformed(
                            part, part + ": unknown field '" + name + "'; selectable fields are " + supported());
                }
                derived.add(computed);
            }
            return new Selects(Collections.unmodifiableSet(fields), Collections.unmodifiableSet(derived));
        }

        /** The stored fields to read: the selected ones, and the dotted order for the tree position. */
        Set<RunField> columns() {
            EnumSet<RunField> columns = EnumSet.copyOf(fields);
            if (!derived.isEmpty()) {
                columns.add(RunField.DOTTED_ORDER);
            }
            return columns;
        }

        boolean shareUrl() {
            return derived.contains(Derived.SHARE_URL);
        }
    }

    /** The run as v2 JSON; {@code shareUrl} is shown when selected and the run's trace is shared. */
    static Map<String, Object> of(RunRecord run, Selects selects, String shareUrl) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (RunField field : selects.fields()) {
            json.put(field.v2Name(), value(field, run.get(field)));
        }
        if (selects.derived().contains(Derived.PARENT_RUN_IDS)) {
            json.put("parent_run_ids", DottedOrder.ancestorIds(run.get(RunField.DOTTED_ORDER)));
        }
        if (selects.derived().contains(Derived.IS_ROOT)) {
            json.put("is_root", run.get(RunField.PARENT_RUN_ID) == null);
        }
        if (selects.shareUrl() && shareUrl != null) {
            json.put("share_url", shareUrl);
        }
        return json;
    }

    /** A value in its v2 form. */
    static Object value(RunField field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toString();
        }
        return switch (field.kind()) {
            case RUN_TYPE, STATUS -> ((String) value).toUpperCase(Locale.ROOT);
            case FEEDBACK_STATS -> RunView.feedbackStats((List<FeedbackStat>) value);
            // v2 nests the categories of token and cost details under "raw".
            case JSON_OBJECT -> field.v2Name().endsWith("_details") ? Map.of("raw", value) : value;
            default -> value;
        };
    }

    /** Every select name, for messages. */
    static String supported() {
        List<String> names = new ArrayList<>(FIELDS.keySet());
        Arrays.stream(Derived.values()).forEach(d -> names.add(d.name()));
        return String.join(", ", names);
    }

    private static Derived derived(String name) {
        for (Derived derived : Derived.values()) {
            if (derived.name().equals(name)) {
                return derived;
            }
        }
        return null;
    }

    private static Map<String, RunField> bySelectName() {
        Map<String, RunField> byName = new LinkedHashMap<>();
        for (RunField field : RunField.values()) {
            byName.put(field.selectName(), field);
        }
        return Collections.unmodifiableMap(byName);
    }
}
