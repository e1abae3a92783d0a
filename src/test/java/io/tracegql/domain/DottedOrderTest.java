package io.tracegql.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DottedOrderTest {

    private static final UUID ROOT = UUID.fromString("1b64098b-4ab7-43f6-afee-992304f198d8");
    private static final UUID CHILD = UUID.fromString("809ed3a2-0172-4f4d-8a02-a64e9b7a0f8a");

    @Test
    void shouldBuildSegmentsFromStartTimeAndId() {
        String root = DottedOrder.of(null, OffsetDateTime.parse("2023-09-14T22:31:55.647Z"), ROOT);
        assertEquals("20230914T223155647000Z" + ROOT, root);
        String child = DottedOrder.of(root, OffsetDateTime.parse("2023-09-14T22:31:55.649+00:00"), CHILD);
        assertEquals(root + ".20230914T223155649000Z" + CHILD, child);
    }

    @Test
    void shouldListAncestorsFromRootToParent() {
        String order = "20230914T223155647Z" + ROOT + ".20230914T223155649Z" + CHILD;
        assertEquals(List.of(ROOT), DottedOrder.ancestorIds(order));
        assertEquals(List.of(ROOT, CHILD), DottedOrder.runIds(order));
        assertEquals(List.of(), DottedOrder.ancestorIds("20230914T223155647Z" + ROOT));
    }

    @Test
    void shouldExplainWhatIsWrongWithAMalformedDottedOrder() {
        assertNull(DottedOrder.problem("20230914T223155647Z" + ROOT));
        assertEquals("segment 'garbage' is not <time><run id>", DottedOrder.problem("garbage"));
        assertEquals(
                "segment 'yesterday" + ROOT + "' does not start with a time like 20230914T223155647Z",
                DottedOrder.problem("yesterday" + ROOT));
    }
}
