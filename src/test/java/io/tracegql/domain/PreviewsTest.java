package io.tracegql.domain;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PreviewsTest {

    @Test
    void shouldPreviewTheLastChatMessage() {
        Object inputs = Map.of(
                "messages",
                List.of(Map.of("role", "system", "content", "be brief"), Map.of("role", "user", "content", "why?")));
        assertEquals("why?", Previews.ofPayload(inputs, 200));
    }

    @Test
    void shouldPreferWellKnownTextKeysAndFallBackToJson() {
        assertEquals("weather in Paris", Previews.ofPayload(Map.of("query", "weather in Paris", "k", 4), 200));
        assertEquals("{\"k\":4}", Previews.ofPayload(Map.of("k", 4), 200));
    }

    @Test
    void shouldTruncateToOneLineOfTheGivenLength() {
        assertEquals("abcd…", Previews.ofPayload(Map.of("text", "abcdefgh"), 5));
        assertEquals("a b", Previews.ofPayload(Map.of("text", "a\n  b"), 5));
    }

    @Test
    void shouldPreviewTheFirstLineOfAnError() {
        assertEquals("ValueError: bad", Previews.ofError("ValueError: bad\n  at line 3", 200));
        assertNull(Previews.ofError(null, 200));
    }
}
