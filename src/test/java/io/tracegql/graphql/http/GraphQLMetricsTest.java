package io.tracegql.graphql.http;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Operation names become labels only up to the cap, so that clients cannot grow the metrics at will. */
class GraphQLMetricsTest {

    @Test
    void shouldLabelOperationsByNameUpToTheCapAndTheRestAsOther() {
        GraphQLMetrics metrics = new GraphQLMetrics(new SimpleMeterRegistry(), 2);
        List<String> tags = new ArrayList<>();
        for (String name : new String[] {"Runs", null, "Trace", "Projects", "Runs", "Other"}) {
            tags.add(metrics.operationTag(name));
        }
        assertEquals(List.of("Runs", "anonymous", "Trace", "other", "Runs", "other"), tags);
    }
}
