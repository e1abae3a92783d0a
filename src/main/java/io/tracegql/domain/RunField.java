package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The run field catalogue: the one definition of every field of a run. Each entry says how the field
 * is stored, what kind of value it holds, its names (the LangSmith v1 JSON that the SDKs send and the
 * {@code Client} reads back, the v2 name of LangSmith's newer read API, GraphQL) and how a write merges
 * it into a stored run. The store's select list and row reader, the ingest JSON reader and writer, the
 * LangSmith run view, the upsert and update statements and the GraphQL selection map are all derived
 * from this table; a test holds it against the columns of {@code runs}.
 */
public enum RunField {
    ID("id", Kind.UUID, Origin.KEY, Merge.KEY),
    /** The project (tracer session): resolved from {@code session_id} or {@code session_name} on ingest. */
    PROJECT_ID("project_id", Kind.UUID, Origin.KEY, Merge.KEY, "session_id", "project_id", "sessionId"),
    TRACE_ID("trace_id", Kind.UUID, Origin.CLIENT, Merge.FIRST_WINS),
    PARENT_RUN_ID("parent_run_id", Kind.UUID, Origin.CLIENT, Merge.FIRST_WINS),
    DOTTED_ORDER("dotted_order", Kind.DOTTED_ORDER, Origin.CLIENT, Merge.FIRST_WINS),
    NAME("name", Kind.TEXT, Origin.CLIENT, Merge.FIRST_WINS),
    RUN_TYPE("run_type", Kind.RUN_TYPE, Origin.CLIENT, Merge.FIRST_WINS),
    STATUS("status", Kind.STATUS, Origin.CLIENT, Merge.STATUS_OF_ERROR_AND_END),
    START_TIME("start_time", Kind.TIME, Origin.CLIENT, Merge.FIRST_WINS),
    END_TIME("end_time", Kind.TIME, Origin.CLIENT, Merge.LATER_WINS),
    FIRST_TOKEN_TIME("first_token_time", Kind.TIME, Origin.CLIENT, Merge.LATER_WINS),
    /** A stored generated column (end minus start), so that latency filters and sorts use an index. */
    LATENCY_SECONDS("latency_seconds", Kind.DOUBLE, Origin.GENERATED, Merge.NONE, "latency", "latency_seconds"),
    INPUTS("inputs", Kind.JSON, Origin.CLIENT, Merge.FIRST_WINS),
    OUTPUTS("outputs", Kind.JSON, Origin.CLIENT, Merge.LATER_WINS),
    ERROR("error", Kind.ERROR_TEXT, Origin.CLIENT, Merge.LATER_WINS),
    INPUTS_PREVIEW("inputs_preview", Kind.TEXT, Origin.DERIVED, Merge.FIRST_WINS),
    OUTPUTS_PREVIEW("outputs_preview", Kind.TEXT, Origin.DERIVED, Merge.LATER_WINS),
    ERROR_PREVIEW("error_preview", Kind.TEXT, Origin.DERIVED, Merge.LATER_WINS),
    EXTRA("extra", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    /** Not a column of its own: {@code extra.metadata}, read where it is stored. */
    METADATA("metadata", Kind.JSON, Origin.COMPUTED, Merge.NONE, null, "metadata"),
    EVENTS("events", Kind.JSON_ARRAY, Origin.CLIENT, Merge.LATER_WINS),
    TAGS("tags", Kind.TEXT_ARRAY, Origin.CLIENT, Merge.NON_EMPTY_LATER_WINS),
    SERIALIZED("serialized", Kind.JSON_OBJECT, Origin.CLIENT, Merge.FIRST_WINS, "serialized", "manifest"),
    MANIFEST_ID("manifest_id", Kind.UUID, Origin.CLIENT, Merge.FIRST_WINS),
    PROMPT_TOKENS("prompt_tokens", Kind.INTEGER, Origin.CLIENT, Merge.LATER_WINS),
    COMPLETION_TOKENS("completion_tokens", Kind.INTEGER, Origin.CLIENT, Merge.LATER_WINS),
    TOTAL_TOKENS("total_tokens", Kind.INTEGER, Origin.CLIENT, Merge.LATER_WINS),
    PROMPT_TOKEN_DETAILS("prompt_token_details", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    COMPLETION_TOKEN_DETAILS("completion_token_details", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    PROMPT_COST("prompt_cost", Kind.DECIMAL, Origin.CLIENT, Merge.LATER_WINS),
    COMPLETION_COST("completion_cost", Kind.DECIMAL, Origin.CLIENT, Merge.LATER_WINS),
    TOTAL_COST("total_cost", Kind.DECIMAL, Origin.CLIENT, Merge.LATER_WINS),
    PROMPT_COST_DETAILS("prompt_cost_details", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    COMPLETION_COST_DETAILS("completion_cost_details", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    REFERENCE_EXAMPLE_ID("reference_example_id", Kind.UUID, Origin.CLIENT, Merge.FIRST_WINS),
    REFERENCE_DATASET_ID("reference_dataset_id", Kind.UUID, Origin.CLIENT, Merge.FIRST_WINS),
    THREAD_ID("thread_id", Kind.TEXT, Origin.CLIENT, Merge.FIRST_WINS),
    THREAD_EVALUATION_TIME("thread_evaluation_time", Kind.TIME, Origin.CLIENT, Merge.LATER_WINS),
    APP_PATH("app_path", Kind.TEXT, Origin.CLIENT, Merge.FIRST_WINS),
    /**
     * The model price that the costs were estimated from (set by store/RunPricing when the client sent
     * no costs); a client that sends costs may name its own.
     */
    PRICE_MODEL_ID("price_model_id", Kind.UUID, Origin.CLIENT, Merge.FOLLOWS_COSTS),
    ATTACHMENTS("attachments", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    INPUTS_S3_URLS("inputs_s3_urls", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    OUTPUTS_S3_URLS("outputs_s3_urls", Kind.JSON_OBJECT, Origin.CLIENT, Merge.LATER_WINS),
    IN_DATASET("in_dataset", Kind.BOOLEAN, Origin.CLIENT, Merge.ANY_TRUE, "in_dataset", "is_in_dataset"),
    /** Not stored: the run's feedback aggregated per key, computed in the statement that reads the run. */
    FEEDBACK_STATS("feedback_stats", Kind.FEEDBACK_STATS, Origin.COMPUTED, Merge.NONE);

    /**
     * The most digits a number sent by a client (a field's value, a filter's bound) may have before or
     * after its point: more than any stored value has, few enough that computing with it is cheap.
     */
    public static final int MAX_DIGITS = 1000;

    /**
     * The columns of {@code runs} that are not run fields: the owner, the bookkeeping times, the
     * full-text search vector generated from the payloads and whether the costs were estimated by the
     * gateway (store/RunPricing) rather than sent by the client.
     */
    public static final Set<String> OTHER_COLUMNS =
            Set.of("tenant_id", "created_at", "updated_at", "search_vector", "costs_estimated");

    /** What a field holds; each kind has one Java type, one JSON form and one SQL type. */
    public enum Kind {
        UUID(java.util.UUID.class),
        TEXT(String.class),
        /** A {@link RunType} by its wire name. */
        RUN_TYPE(String.class),
        /** A {@link RunStatus} by its wire name. */
        STATUS(String.class),
        /** A {@link DottedOrder}. */
        DOTTED_ORDER(String.class),
        /** Text; clients that send a structured error send it as JSON, kept as its JSON text. */
        ERROR_TEXT(String.class),
        TIME(OffsetDateTime.class),
        DOUBLE(Double.class),
        INTEGER(Integer.class),
        DECIMAL(BigDecimal.class),
        BOOLEAN(Boolean.class),
        TEXT_ARRAY(List.class),
        /** Any JSON value, as plain Java (Map, List, String, Number, Boolean). */
        JSON(Object.class),
        JSON_OBJECT(Map.class),
        JSON_ARRAY(List.class),
        /** A list of {@link FeedbackStat}. */
        FEEDBACK_STATS(List.class);

        private final Class<?> javaType;

        Kind(Class<?> javaType) {
            this.javaType = javaType;
        }

        /** The Java type a value of this kind has in a run record. */
        public Class<?> javaType() {
            return javaType;
        }
    }

    /** Where a field's value comes from. */
    public enum Origin {
        /** Identifies the run; written with it, set by ingest from the request (the path, the project). */
        KEY,
        /** Sent by clients in the run JSON. */
        CLIENT,
        /** Filled by the gateway when the run is written (previews of the payloads). */
        DERIVED,
        /** A generated column of {@code runs}, computed by the database from other columns; never written. */
        GENERATED,
        /** No column of its own: computed by the statement that reads the run; never written. */
        COMPUTED
    }

    /** How writing a run merges the field into a run that is already stored. */
    public enum Merge {
        /** Identifies the run: never changes. */
        KEY,
        /** The stored value wins over a later write: how the run started. */
        FIRST_WINS,
        /** A value sent later replaces the stored one: how the run ended. */
        LATER_WINS,
        /** A later non-empty value replaces the stored one; an empty one leaves it. */
        NON_EMPTY_LATER_WINS,
        /** Once true, stays true. */
        ANY_TRUE,
        /**
         * The price of estimated costs: replaced with the written value when costs sent by the client
         * replace an estimate, else the stored value wins.
         */
        FOLLOWS_COSTS,
        /** Follows the merged error and end time: error, else success once ended, else pending. */
        STATUS_OF_ERROR_AND_END,
        /** Not written. */
        NONE
    }

    private final String column;
    private final Kind kind;
    private final Origin origin;
    private final Merge merge;
    private final String v1Name;
    private final String v2Name;
    private final List<String> graphqlNames;

    RunField(String column, Kind kind, Origin origin, Merge merge) {
        this(column, kind, origin, merge, column, column);
    }

    RunField(String column, Kind kind, Origin origin, Merge merge, String v1Name, String v2Name, String... aliases) {
        this.column = column;
        this.kind = kind;
        this.origin = origin;
        this.merge = merge;
        this.v1Name = v1Name;
        this.v2Name = v2Name;
        List<String> names = new ArrayList<>();
        names.add(camelCase(column));
        if (!v2Name.equals(column)) {
            names.add(camelCase(v2Name));
        }
        names.addAll(List.of(aliases));
        this.graphqlNames = Collections.unmodifiableList(names);
    }

    /** The snake_case name: the column of {@code runs} that stores it, for a stored field. */
    public String column() {
        return column;
    }

    /** Whether {@code runs} has a column of this name (written by the gateway or generated). */
    public boolean stored() {
        return origin != Origin.COMPUTED;
    }

    /** Whether writing a run writes this column. */
    public boolean written() {
        return origin != Origin.GENERATED && origin != Origin.COMPUTED;
    }

    public Kind kind() {
        return kind;
    }

    public Origin origin() {
        return origin;
    }

    public Merge merge() {
        return merge;
    }

    /** The name in LangSmith's v1 run JSON (what the SDKs send and {@code Client.readRun} reads), or null. */
    public String v1Name() {
        return v1Name;
    }

    /** The name in LangSmith's v2 run (its field descriptions); upper-cased, the name in {@code selects}. */
    public String v2Name() {
        return v2Name;
    }

    /** The v2 API's {@code selects} name, such as {@code COMPLETION_COST_DETAILS}. */
    public String selectName() {
        return v2Name.toUpperCase(Locale.ROOT);
    }

    /** The GraphQL fields of Run that show this field: its camelCase name first, then synonyms. */
    public List<String> graphqlNames() {
        return graphqlNames;
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
