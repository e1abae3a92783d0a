package io.tracegql.domain;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TokenUsageTest {

    @Test
    void shouldReadUsageMetadataFromOutputs() {
        Map<String, Object> outputs = Map.of(
                "usage_metadata",
                Map.of(
                        "input_tokens",
                        12,
                        "output_tokens",
                        3,
                        "total_tokens",
                        15,
                        "output_token_details",
                        Map.of("reasoning", 2)));
        assertEquals(new TokenUsage(12, 3, 15, null, Map.of("reasoning", 2)), TokenUsage.find(outputs, null));
    }

    @Test
    void shouldLeaveOutTokenDetailsThatAreNotObjects() {
        Map<String, Object> outputs = Map.of(
                "usage_metadata",
                Map.of("input_tokens", 120, "output_token_details", 30, "input_token_details", List.of(1)));
        assertEquals(new TokenUsage(120, null, null, null, null), TokenUsage.find(outputs, null));
    }

    @Test
    void shouldFallBackToUsageMetadataInExtraMetadata() {
        Map<String, Object> extra = Map.of("metadata", Map.of("usage_metadata", Map.of("input_tokens", 7)));
        assertEquals(new TokenUsage(7, null, null, null, null), TokenUsage.find(Map.of("text", "hi"), extra));
    }

    @Test
    void shouldReadLangChainTokenUsage() {
        Map<String, Object> outputs =
                Map.of("llm_output", Map.of("token_usage", Map.of("prompt_tokens", 40, "completion_tokens", 9)));
        assertEquals(new TokenUsage(40, 9, null, null, null), TokenUsage.find(outputs, null));
    }

    @Test
    void shouldReadTheUsageOfTheFirstChatGeneration() {
        Map<String, Object> outputs = Map.of(
                "generations",
                List.of(List.of(Map.of(
                        "message",
                        Map.of("kwargs", Map.of("usage_metadata", Map.of("input_tokens", 5, "output_tokens", 1)))))));
        assertEquals(new TokenUsage(5, 1, null, null, null), TokenUsage.find(outputs, null));
    }

    @Test
    void shouldReportNothingWhenNoUsageIsRecorded() {
        assertNull(TokenUsage.find(Map.of("output", "x"), Map.of("metadata", Map.of())));
        assertNull(TokenUsage.find(null, null));
    }
}
