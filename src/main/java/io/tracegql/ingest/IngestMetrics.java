package io.tracegql.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What ingest did, at /q/metrics: runs written ({@code tracegql_ingest_runs_total}) and requests refused
 * for what they sent ({@code tracegql_ingest_rejected_total}, by API and status: a body that cannot be
 * read, a bad part or field), whose writes were all left out.
 */
@ApplicationScoped
public class IngestMetrics {

    /** The REST API a request came through. */
    public enum Api {
        LANGSMITH,
        OTLP
    }

    private final MeterRegistry registry;
    private final Counter written;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.written = Counter.builder("tracegql.ingest.runs")
                .description("Runs (posts and patches) written by committed ingest requests")
                .register(registry);
    }

    void written(int runs) {
        written.increment(runs);
    }

    void rejected(Api api, int status) {
        Counter.builder("tracegql.ingest.rejected")
                .description("REST requests refused for what they sent (nothing of them was written)")
                .tag("api", api.name().toLowerCase(java.util.Locale.ROOT))
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }
}
