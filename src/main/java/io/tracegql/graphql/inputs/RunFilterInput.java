package io.tracegql.graphql.inputs;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;

@Input("RunFilter")
@Description("Which runs to return: every condition given must hold. Leave a condition out to not constrain it.")
public class RunFilterInput {

    @Id
    @Description("Only these runs.")
    public List<@NonNull String> ids;

    @Id
    @Description("Only runs of this project.")
    public String projectId;

    @Id
    @Description("Only runs of this trace.")
    public String traceId;

    @Id
    @Description("Only direct children of this run.")
    public String parentRunId;

    @Description("true: only trace roots; false: only runs that have a parent.")
    public Boolean isRoot;

    @Description("Only runs of these types.")
    public List<@NonNull RunType> runTypes;

    @Description("Only runs with these statuses.")
    public List<@NonNull RunStatus> statuses;

    @Description("true: only runs with an error; false: only runs without one.")
    public Boolean hasError;

    @Description("Only runs with exactly this name.")
    public String name;

    @Description("Only runs of this conversation thread (metadata thread_id, session_id or conversation_id).")
    public String threadId;

    @Description("Only runs that have at least one of these tags.")
    public List<@NonNull String> tagsAny;

    @Description("Only runs that have all of these tags.")
    public List<@NonNull String> tagsAll;

    @Description("Only runs that started in this window.")
    public TimeRange startTime;

    @Description("Only runs whose latency in seconds is in this range (unfinished runs never match).")
    public FloatRange latencySeconds;

    @Description("Only runs whose total tokens are in this range.")
    public IntRange totalTokens;

    @Description("Only runs whose total cost in USD is in this range.")
    public DecimalRange totalCost;

    @Description("Only runs whose metadata has all of these key/value pairs.")
    public List<@NonNull MetadataMatch> metadata;

    @Description("Only runs that have feedback with this key (and score range).")
    public FeedbackMatch feedback;

    @Description("Only runs whose inputs, outputs or error contain these words: web-search syntax (\"a phrase\","
            + " -excluded, or), case-insensitive, whole words.")
    public String search;

    @Description("Every one of these filters must match too.")
    public List<@NonNull RunFilterInput> and;

    @Description("At least one of these filters must match too.")
    public List<@NonNull RunFilterInput> or;

    @Input("TimeRange")
    @Description("A time window: from (inclusive) and to (exclusive); either may be left out.")
    public static class TimeRange {
        public OffsetDateTime from;
        public OffsetDateTime to;
    }

    @Input("FloatRange")
    @Description("A range of numbers, both ends inclusive; either may be left out.")
    public static class FloatRange {
        public Double min;
        public Double max;
    }

    @Input("IntRange")
    @Description("A range of whole numbers, both ends inclusive; either may be left out.")
    public static class IntRange {
        public Long min;
        public Long max;
    }

    @Input("DecimalRange")
    @Description("A range of decimal amounts, both ends inclusive; either may be left out.")
    public static class DecimalRange {
        public BigDecimal min;
        public BigDecimal max;
    }

    @Input("MetadataMatch")
    @Description("A metadata key and the value it must have (compared as text).")
    public static class MetadataMatch {
        @NonNull
        public String key;

        @NonNull
        public String value;
    }

    @Input("FeedbackMatch")
    @Description("Feedback a run must have: a key, and optionally a score range (inclusive).")
    public static class FeedbackMatch {
        @NonNull
        public String key;

        public Double minScore;
        public Double maxScore;
    }
}
