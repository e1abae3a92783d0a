package io.tracegql.domain;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracegql.support.Fuzzing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any text is a filter or an {@link FilterLanguage.InvalidFilterException} with a message and a
 * position inside the text: never another exception, a stack overflow or a hang.
 */
class FilterLanguageFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            assertNotNull(FilterLanguage.parse(text));
        } catch (FilterLanguage.InvalidFilterException e) {
            Fuzzing.assertClearMessage(e);
            assertTrue(
                    e.position() >= 0 && e.position() <= text.length(),
                    () -> "position " + e.position() + " outside a text of " + text.length());
        }
    }
}
