package io.tracegql.domain;

import java.util.List;
import java.util.Map;

/**
 * Where tracing clients put token usage, read in order of preference: {@code usage_metadata}
 * (input/output/total tokens and their details) in the outputs or in {@code extra.metadata}, then
 * LangChain's {@code outputs.llm_output.token_usage} (prompt/completion/total tokens), then the
 * {@code usage_metadata} of the first chat generation. Payloads are plain Java JSON values.
 */
public record TokenUsage(
        Integer promptTokens,
        Integer completionTokens,
        Integer totalTokens,
        Object promptTokenDetails,
        Object completionTokenDetails) {

    /** The usage a run's payloads report, or null when they report none. */
    public static TokenUsage find(Object outputs, Object extra) {
        TokenUsage usage = fromUsageMetadata(at(outputs, "usage_metadata"));
        if (usage == null) {
            usage = fromUsageMetadata(at(at(extra, "metadata"), "usage_metadata"));
        }
        if (usage == null) {
            Object tokenUsage = at(at(outputs, "llm_output"), "token_usage");
            if (tokenUsage instanceof Map<?, ?> map) {
                usage = of(
                        integer(map.get("prompt_tokens")),
                        integer(map.get("completion_tokens")),
                        integer(map.get("total_tokens")),
                        null,
                        null);
            }
        }
        if (usage == null) {
            Object generation = first(first(at(outputs, "generations")));
            usage = fromUsageMetadata(at(at(at(generation, "message"), "kwargs"), "usage_metadata"));
        }
        return usage;
    }

    private static TokenUsage fromUsageMetadata(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        return of(
                integer(map.get("input_tokens")),
                integer(map.get("output_tokens")),
                integer(map.get("total_tokens")),
                object(map.get("input_token_details")),
                object(map.get("output_token_details")));
    }

    private static TokenUsage of(
            Integer prompt, Integer completion, Integer total, Object promptDetails, Object completionDetails) {
        if (prompt == null && completion == null && total == null) {
            return null;
        }
        return new TokenUsage(prompt, completion, total, promptDetails, completionDetails);
    }

    private static Object at(Object value, String key) {
        return value instanceof Map<?, ?> map ? map.get(key) : null;
    }

    private static Object first(Object value) {
        return value instanceof List<?> list && !list.isEmpty() ? list.get(0) : null;
    }

    /** Token details are an object of counts; a value of another kind is no detail of usage. */
    private static Object object(Object value) {
        return value instanceof Map<?, ?> ? value : null;
    }

    private static Integer integer(Object value) {
        return value instanceof Number number ? Integer.valueOf(number.intValue()) : null;
    }
}
