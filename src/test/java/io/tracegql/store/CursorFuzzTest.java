package io.tracegql.store;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.tracegql.support.Fuzzing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cursor a client sends back is one this API made, which decodes to itself once encoded again, or
 * an IllegalArgumentException with a reason: never another exception.
 */
class CursorFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void runCursor(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        RunCursor cursor;
        try {
            cursor = RunCursor.decode(text);
        } catch (IllegalArgumentException e) {
            Fuzzing.assertClearMessage(e);
            return;
        }
        assertEquals(cursor, RunCursor.decode(cursor.encode()));
    }

    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void traceCursor(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        TraceCursor cursor;
        try {
            cursor = TraceCursor.decode(text);
        } catch (IllegalArgumentException e) {
            Fuzzing.assertClearMessage(e);
            return;
        }
        assertEquals(cursor, TraceCursor.decode(cursor.encode()));
    }
}
