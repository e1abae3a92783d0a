package io.tracegql.graphql.http;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import graphql.language.OperationDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.tracegql.config.TracegqlConfig;

/**
 * GraphQL requests over HTTP as a timer, {@code tracegql_graphql_requests_seconds} at /q/metrics, by
 * operation name, operation type, outcome and the path that answered. Operation names come from
 * clients, so only the first {@code tracegql.graphql.metrics-operation-names} distinct ones get a
 * series of their own; later ones are counted as {@value #OTHER}.
 */
@ApplicationScoped
public class GraphQLMetrics {

    static final String ANONYMOUS = "anonymous";
    static final String OTHER = "other";
    /** Type and name of a request whose operation is not known: unreadable, or an invalid document. */
    static final String UNKNOWN = "unknown";

    /** How a request ended, from the client's point of view. */
    enum Outcome {
        OK,
        /** Refused or failed for a reason the client can fix: its request, its key, its input. */
        CLIENT_ERROR,
        /** Failed for a reason of the gateway's or the database's. */
        SERVER_ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome an HTTP status says, for answers that carry no finer word. */
        static Outcome ofStatus(int status) {
            return status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : OK;
        }
    }

    /** Which way a request was answered: the {@value GraphQLEndpoint#PLAN_HEADER} header, or none. */
    enum Path {
        COMPILED,
        GENERAL,
        /** Answered before any path ran it: an unreadable request, an invalid document, no key. */
        NONE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final int maxNames;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    @Inject
    public GraphQLMetrics(MeterRegistry registry, TracegqlConfig config) {
        this(registry, config.graphql().metricsOperationNames());
    }

    GraphQLMetrics(MeterRegistry registry, int maxNames) {
        this.registry = registry;
        this.maxNames = maxNames;
    }

    /** Starts timing a request; {@link Request#record} stops it, once. */
    Request start() {
        return new Request(Timer.start(registry));
    }

    /** The operation tag of a name: itself while there is room, {@value #OTHER} after. */
    String operationTag(String name) {
        if (name == null) {
            return ANONYMOUS;
        }
        // Two new names at once may both find room: the cap is approximate by that much, never unbounded.
        if (names.contains(name) || (names.size() < maxNames && names.add(name))) {
            return name;
        }
        return names.contains(name) ? name : OTHER;
    }

    /** What is known of one request as it is answered. */
    final class Request {
        private final Timer.Sample sample;
        private String operation = UNKNOWN;
        private String type = UNKNOWN;
        private Path path = Path.NONE;
        private Outcome outcome;
        private boolean recorded;

        private Request(Timer.Sample sample) {
            this.sample = sample;
        }

        void operation(OperationDefinition definition) {
            operation = operationTag(definition.getName());
            type = definition.getOperation().name().toLowerCase(Locale.ROOT);
        }

        void path(Path path) {
            this.path = path;
        }

        void outcome(Outcome outcome) {
            this.outcome = outcome;
        }

        /** Stops the timer; the outcome is the one set, else the one the status says. */
        void record(int status) {
            if (recorded) {
                return;
            }
            recorded = true;
            sample.stop(Timer.builder("tracegql.graphql.requests")
                    .description("GraphQL requests over HTTP")
                    .tag("operation", operation)
                    .tag("type", type)
                    .tag("outcome", (outcome == null ? Outcome.ofStatus(status) : outcome).tag())
                    .tag("path", path.tag())
                    .register(registry));
        }
    }
}
