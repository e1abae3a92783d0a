package io.tracegql.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the fuzz tests share. Without {@code JAZZER_FUZZ} each runs the inputs kept in
 * {@code src/test/resources/<package>/<class>Inputs/<method>/} as ordinary tests, in seconds; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates them, guided by coverage, for {@link #LONG_RUN}.
 */
public final class Fuzzing {

    /** How long one fuzz test mutates its inputs when fuzzing. */
    public static final String LONG_RUN = "2m";

    private Fuzzing() {}

    /** A refusal the client is shown must say something. */
    public static void assertClearMessage(Throwable refusal) {
        assertNotNull(refusal.getMessage(), () -> refusal.getClass() + " without a message");
        assertFalse(refusal.getMessage().isBlank(), () -> refusal.getClass() + " with a blank message");
    }
}
