package io.tracegql.domain;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunChangeTest {

    private static final UUID TENANT = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID PROJECT = UUID.fromString("a0000000-0000-4000-8000-000000000001");
    private static final UUID TRACE = UUID.fromString("0191e5a0-0000-7000-8000-000000000001");
    private static final UUID RUN = UUID.fromString("0191e5a0-0000-7000-8000-000000000002");

    @Test
    void shouldReadTheDatabasesPayload() {
        String ids = "," + TENANT + "," + PROJECT + "," + TRACE + "," + RUN;
        assertEquals(new RunChange(RunChange.Kind.CREATED, TENANT, PROJECT, TRACE, RUN), RunChange.parse("c" + ids));
        assertEquals(new RunChange(RunChange.Kind.UPDATED, TENANT, PROJECT, TRACE, RUN), RunChange.parse("u" + ids));
        assertEquals(new RunChange(RunChange.Kind.FEEDBACK, TENANT, PROJECT, TRACE, RUN), RunChange.parse("f" + ids));
    }

    @Test
    void shouldReadWhenTheDatabaseWroteTheChange() {
        String ids = "," + TENANT + "," + PROJECT + "," + TRACE + "," + RUN;
        assertEquals(
                new RunChange(
                        RunChange.Kind.CREATED,
                        TENANT,
                        PROJECT,
                        TRACE,
                        RUN,
                        Instant.parse("2024-05-01T10:00:00.000123Z")),
                RunChange.parse("c" + ids + ",1714557600000123"));
        assertNull(RunChange.parse("c" + ids + ",yesterday"));
    }

    @Test
    void shouldIgnoreWhatIsNotARunChange() {
        assertNull(RunChange.parse(null));
        assertNull(RunChange.parse(""));
        assertNull(RunChange.parse("x," + TENANT + "," + PROJECT + "," + TRACE + "," + RUN));
        assertNull(RunChange.parse("c," + TENANT + "," + PROJECT + "," + TRACE));
        assertNull(RunChange.parse("c," + TENANT + ",not-a-uuid," + TRACE + "," + RUN));
    }
}
