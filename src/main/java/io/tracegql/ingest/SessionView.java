package io.tracegql.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStats;

/** Projects as LangSmith clients read them (TracerSession, with TracerSessionResult stats). */
final class SessionView {

    private SessionView() {}

    static Map<String, Object> of(ProjectRecord project, ProjectStats stats) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", project.id());
        json.put("tenant_id", project.tenantId());
        json.put("name", project.name());
        json.put("description", project.description());
        json.put("start_time", project.startTime().toString());
        json.put(
                "end_time", project.endTime() == null ? null : project.endTime().toString());
        json.put("extra", project.extra());
        json.put("reference_dataset_id", project.referenceDatasetId());
        if (stats != null) {
            json.put("run_count", stats.runCount());
            json.put("latency_p50", stats.latencyP50());
            json.put("latency_p99", stats.latencyP99());
            json.put("first_token_p50", stats.firstTokenP50());
            json.put("first_token_p99", stats.firstTokenP99());
            json.put("total_tokens", stats.totalTokens());
            json.put("prompt_tokens", stats.promptTokens());
            json.put("completion_tokens", stats.completionTokens());
            json.put("total_cost", stats.totalCost());
            json.put("prompt_cost", stats.promptCost());
            json.put("completion_cost", stats.completionCost());
            json.put("error_rate", stats.errorRate());
            json.put(
                    "last_run_start_time",
                    stats.lastRunStartTime() == null
                            ? null
                            : stats.lastRunStartTime().toString());
        }
        return json;
    }
}
