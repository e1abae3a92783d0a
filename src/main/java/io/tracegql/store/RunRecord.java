package io.tracegql.store;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.tracegql.domain.FeedbackStat;

/**
 * One run as the store reads and writes it. Reads fill only the columns a query selected (see
 * {@link RunColumn}); JSON payloads are plain Java values (Map, List, scalars).
 */
public final class RunRecord {

    private UUID id;
    private UUID projectId;
    private UUID traceId;
    private UUID parentRunId;
    private String dottedOrder;
    private String name;
    private String runType;
    private String status;
    private OffsetDateTime startTime;
    private OffsetDateTime endTime;
    private OffsetDateTime firstTokenTime;
    private Double latencySeconds;
    private Object inputs;
    private Object outputs;
    private String error;
    private String inputsPreview;
    private String outputsPreview;
    private String errorPreview;
    private Object extra;
    private Object metadata;
    private Object events;
    private List<String> tags;
    private Object serialized;
    private UUID manifestId;
    private Integer promptTokens;
    private Integer completionTokens;
    private Integer totalTokens;
    private Object promptTokenDetails;
    private Object completionTokenDetails;
    private BigDecimal promptCost;
    private BigDecimal completionCost;
    private BigDecimal totalCost;
    private Object promptCostDetails;
    private Object completionCostDetails;
    private UUID referenceExampleId;
    private UUID referenceDatasetId;
    private String threadId;
    private OffsetDateTime threadEvaluationTime;
    private String appPath;
    private UUID priceModelId;
    private Object attachments;
    private Object inputsS3Urls;
    private Object outputsS3Urls;
    private Boolean inDataset;
    private List<FeedbackStat> feedbackStats;
    private Map<JsonProjection, Object> projections;

    public UUID id() {
        return id;
    }

    public RunRecord id(UUID value) {
        id = value;
        return this;
    }

    public UUID projectId() {
        return projectId;
    }

    public RunRecord projectId(UUID value) {
        projectId = value;
        return this;
    }

    public UUID traceId() {
        return traceId;
    }

    public RunRecord traceId(UUID value) {
        traceId = value;
        return this;
    }

    public UUID parentRunId() {
        return parentRunId;
    }

    public RunRecord parentRunId(UUID value) {
        parentRunId = value;
        return this;
    }

    public String dottedOrder() {
        return dottedOrder;
    }

    public RunRecord dottedOrder(String value) {
        dottedOrder = value;
        return this;
    }

    public String name() {
        return name;
    }

    public RunRecord name(String value) {
        name = value;
        return this;
    }

    public String runType() {
        return runType;
    }

    public RunRecord runType(String value) {
        runType = value;
        return this;
    }

    public String status() {
        return status;
    }

    public RunRecord status(String value) {
        status = value;
        return this;
    }

    public OffsetDateTime startTime() {
        return startTime;
    }

    public RunRecord startTime(OffsetDateTime value) {
        startTime = value;
        return this;
    }

    public OffsetDateTime endTime() {
        return endTime;
    }

    public RunRecord endTime(OffsetDateTime value) {
        endTime = value;
        return this;
    }

    public OffsetDateTime firstTokenTime() {
        return firstTokenTime;
    }

    public RunRecord firstTokenTime(OffsetDateTime value) {
        firstTokenTime = value;
        return this;
    }

    public Double latencySeconds() {
        return latencySeconds;
    }

    public RunRecord latencySeconds(Double value) {
        latencySeconds = value;
        return this;
    }

    public Object inputs() {
        return inputs;
    }

    public RunRecord inputs(Object value) {
        inputs = value;
        return this;
    }

    public Object outputs() {
        return outputs;
    }

    public RunRecord outputs(Object value) {
        outputs = value;
        return this;
    }

    public String error() {
        return error;
    }

    public RunRecord error(String value) {
        error = value;
        return this;
    }

    public String inputsPreview() {
        return inputsPreview;
    }

    public RunRecord inputsPreview(String value) {
        inputsPreview = value;
        return this;
    }

    public String outputsPreview() {
        return outputsPreview;
    }

    public RunRecord outputsPreview(String value) {
        outputsPreview = value;
        return this;
    }

    public String errorPreview() {
        return errorPreview;
    }

    public RunRecord errorPreview(String value) {
        errorPreview = value;
        return this;
    }

    public Object extra() {
        return extra;
    }

    public RunRecord extra(Object value) {
        extra = value;
        return this;
    }

    public Object metadata() {
        return metadata;
    }

    public RunRecord metadata(Object value) {
        metadata = value;
        return this;
    }

    public Object events() {
        return events;
    }

    public RunRecord events(Object value) {
        events = value;
        return this;
    }

    public List<String> tags() {
        return tags;
    }

    public RunRecord tags(List<String> value) {
        tags = value;
        return this;
    }

    public Object serialized() {
        return serialized;
    }

    public RunRecord serialized(Object value) {
        serialized = value;
        return this;
    }

    public UUID manifestId() {
        return manifestId;
    }

    public RunRecord manifestId(UUID value) {
        manifestId = value;
        return this;
    }

    public Integer promptTokens() {
        return promptTokens;
    }

    public RunRecord promptTokens(Integer value) {
        promptTokens = value;
        return this;
    }

    public Integer completionTokens() {
        return completionTokens;
    }

    public RunRecord completionTokens(Integer value) {
        completionTokens = value;
        return this;
    }

    public Integer totalTokens() {
        return totalTokens;
    }

    public RunRecord totalTokens(Integer value) {
        totalTokens = value;
        return this;
    }

    public Object promptTokenDetails() {
        return promptTokenDetails;
    }

    public RunRecord promptTokenDetails(Object value) {
        promptTokenDetails = value;
        return this;
    }

    public Object completionTokenDetails() {
        return completionTokenDetails;
    }

    public RunRecord completionTokenDetails(Object value) {
        completionTokenDetails = value;
        return this;
    }

    public BigDecimal promptCost() {
        return promptCost;
    }

    public RunRecord promptCost(BigDecimal value) {
        promptCost = value;
        return this;
    }

    public BigDecimal completionCost() {
        return completionCost;
    }

    public RunRecord completionCost(BigDecimal value) {
        completionCost = value;
        return this;
    }

    public BigDecimal totalCost() {
        return totalCost;
    }

    public RunRecord totalCost(BigDecimal value) {
        totalCost = value;
        return this;
    }

    public Object promptCostDetails() {
        return promptCostDetails;
    }

    public RunRecord promptCostDetails(Object value) {
        promptCostDetails = value;
        return this;
    }

    public Object completionCostDetails() {
        return completionCostDetails;
    }

    public RunRecord completionCostDetails(Object value) {
        completionCostDetails = value;
        return this;
    }

    public UUID referenceExampleId() {
        return referenceExampleId;
    }

    public RunRecord referenceExampleId(UUID value) {
        referenceExampleId = value;
        return this;
    }

    public UUID referenceDatasetId() {
        return referenceDatasetId;
    }

    public RunRecord referenceDatasetId(UUID value) {
        referenceDatasetId = value;
        return this;
    }

    public String threadId() {
        return threadId;
    }

    public RunRecord threadId(String value) {
        threadId = value;
        return this;
    }

    public OffsetDateTime threadEvaluationTime() {
        return threadEvaluationTime;
    }

    public RunRecord threadEvaluationTime(OffsetDateTime value) {
        threadEvaluationTime = value;
        return this;
    }

    public String appPath() {
        return appPath;
    }

    public RunRecord appPath(String value) {
        appPath = value;
        return this;
    }

    public UUID priceModelId() {
        return priceModelId;
    }

    public RunRecord priceModelId(UUID value) {
        priceModelId = value;
        return this;
    }

    public Object attachments() {
        return attachments;
    }

    public RunRecord attachments(Object value) {
        attachments = value;
        return this;
    }

    public Object inputsS3Urls() {
        return inputsS3Urls;
    }

    public RunRecord inputsS3Urls(Object value) {
        inputsS3Urls = value;
        return this;
    }

    public Object outputsS3Urls() {
        return outputsS3Urls;
    }

    public RunRecord outputsS3Urls(Object value) {
        outputsS3Urls = value;
        return this;
    }

    public Boolean inDataset() {
        return inDataset;
    }

    public RunRecord inDataset(Boolean value) {
        inDataset = value;
        return this;
    }

    /** Feedback on this run per key, when it was read with {@link RunColumn#FEEDBACK_STATS}. */
    public List<FeedbackStat> feedbackStats() {
        return feedbackStats;
    }

    public RunRecord feedbackStats(List<FeedbackStat> value) {
        feedbackStats = value;
        return this;
    }

    /** The value of a projection this record was read with (null when the path selected nothing). */
    public Object projection(JsonProjection projection) {
        if (projections == null || !projections.containsKey(projection)) {
            throw new IllegalStateException("the run was read without the projection " + projection);
        }
        return projections.get(projection);
    }

    public RunRecord projection(JsonProjection projection, Object value) {
        if (projections == null) {
            projections = new HashMap<>();
        }
        projections.put(projection, value);
        return this;
    }
}
