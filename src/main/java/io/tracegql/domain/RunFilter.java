package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which runs a query wants: every condition that is set must hold, every filter in {@code and} must
 * match, and at least one filter in {@code or} must match when it is not empty. Validated before it
 * reaches SQL; null means "no condition". {@code search} is a web-search style query (words, "quoted
 * phrases", -excluded words, or) over the text of inputs, outputs and error.
 */
public record RunFilter(
        List<UUID> ids,
        UUID projectId,
        UUID traceId,
        UUID parentRunId,
        Boolean isRoot,
        List<RunType> runTypes,
        List<RunStatus> statuses,
        Boolean hasError,
        String name,
        List<String> tagsAny,
        List<String> tagsAll,
        OffsetDateTime startedAfter,
        OffsetDateTime startedBefore,
        Double minLatencySeconds,
        Double maxLatencySeconds,
        Long minTotalTokens,
        Long maxTotalTokens,
        BigDecimal minTotalCost,
        BigDecimal maxTotalCost,
        Map<String, String> metadata,
        FeedbackCondition feedback,
        String search,
        List<RunFilter> and,
        List<RunFilter> or) {

    /** Runs that carry feedback with this key, optionally with a score in a range. */
    public record FeedbackCondition(String key, Double minScore, Double maxScore) {}

    public static RunFilter none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a filter one condition at a time; conditions left unset do not constrain. */
    public static final class Builder {
        private List<UUID> ids;
        private UUID projectId;
        private UUID traceId;
        private UUID parentRunId;
        private Boolean isRoot;
        private List<RunType> runTypes;
        private List<RunStatus> statuses;
        private Boolean hasError;
        private String name;
        private List<String> tagsAny;
        private List<String> tagsAll;
        private OffsetDateTime startedAfter;
        private OffsetDateTime startedBefore;
        private Double minLatencySeconds;
        private Double maxLatencySeconds;
        private Long minTotalTokens;
        private Long maxTotalTokens;
        private BigDecimal minTotalCost;
        private BigDecimal maxTotalCost;
        private Map<String, String> metadata;
        private FeedbackCondition feedback;
        private String search;
        private List<RunFilter> and;
        private List<RunFilter> or;

        public Builder ids(List<UUID> value) {
            ids = value;
            return this;
        }

        public Builder projectId(UUID value) {
            projectId = value;
            return this;
        }

        public Builder traceId(UUID value) {
            traceId = value;
            return this;
        }

        public Builder parentRunId(UUID value) {
            parentRunId = value;
            return this;
        }

        public Builder isRoot(Boolean value) {
            isRoot = value;
            return this;
        }

        public Builder runTypes(List<RunType> value) {
            runTypes = value;
            return this;
        }

        public Builder statuses(List<RunStatus> value) {
            statuses = value;
            return this;
        }

        public Builder hasError(Boolean value) {
            hasError = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder tagsAny(List<String> value) {
            tagsAny = value;
            return this;
        }

        public Builder tagsAll(List<String> value) {
            tagsAll = value;
            return this;
        }

        public Builder startedAfter(OffsetDateTime value) {
            startedAfter = value;
            return this;
        }

        public Builder startedBefore(OffsetDateTime value) {
            startedBefore = value;
            return this;
        }

        public Builder latencySeconds(Double min, Double max) {
            minLatencySeconds = min;
            maxLatencySeconds = max;
            return this;
        }

        public Builder totalTokens(Long min, Long max) {
            minTotalTokens = min;
            maxTotalTokens = max;
            return this;
        }

        public Builder totalCost(BigDecimal min, BigDecimal max) {
            minTotalCost = min;
            maxTotalCost = max;
            return this;
        }

        public Builder metadata(Map<String, String> value) {
            metadata = value;
            return this;
        }

        public Builder feedback(FeedbackCondition value) {
            feedback = value;
            return this;
        }

        public Builder search(String value) {
            search = value;
            return this;
        }

        public Builder and(List<RunFilter> value) {
            and = value;
            return this;
        }

        public Builder or(List<RunFilter> value) {
            or = value;
            return this;
        }

        public RunFilter build() {
            return new RunFilter(
                    ids,
                    projectId,
                    traceId,
                    parentRunId,
                    isRoot,
                    runTypes,
                    statuses,
                    hasError,
                    name,
                    tagsAny,
                    tagsAll,
                    startedAfter,
                    startedBefore,
                    minLatencySeconds,
                    maxLatencySeconds,
                    minTotalTokens,
                    maxTotalTokens,
                    minTotalCost,
                    maxTotalCost,
                    metadata,
                    feedback,
                    search,
                    and,
                    or);
        }
    }
}
