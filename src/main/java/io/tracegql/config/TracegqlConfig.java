package io.tracegql.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the gateway itself, under the {@code tracegql.} prefix. */
@ConfigMapping(prefix = "tracegql")
public interface TracegqlConfig {

    /** The tenant named "default", which owns the demo data and the default tenant key. */
    @WithDefault("00000000-0000-0000-0000-000000000001")
    UUID defaultTenantId();

    /** The administrator key (TRACEGQL_ADMIN_KEY): may create tenants and API keys, sees no data. */
    Optional<String> adminKey();

    /** When set (TRACEGQL_DEFAULT_TENANT_KEY), an API key of the default tenant, ensured at start. */
    Optional<String> defaultTenantKey();

    /** Base URL of a web app that shows projects; Project.url is built from it when set. */
    Optional<String> appUrl();

    Page page();

    Database database();

    ReadDatasource readDatasource();

    Retention retention();

    Rollups rollups();

    Partitions partitions();

    Limits limits();

    Share share();

    Subscriptions subscriptions();

    Graphql graphql();

    Export export();

    ApiKeys apiKeys();

    /** How API keys are checked. */
    interface ApiKeys {
        /**
         * How long a key's tenant is remembered without asking the database again
         * (TRACEGQL_API_KEYS_CACHE_TTL): a revoked key stops working within it, and requests of a known
         * key go on being authenticated for that long while the database is away.
         */
        @WithDefault("5s")
        Duration cacheTtl();
    }

    /** Bulk reads of runs (GET and POST /runs/export). */
    interface Export {
        /**
         * Runs read with one statement: the export holds one chunk at a time (its rows and their
         * JSON), whatever the size of the export, and the statement timeout applies to each chunk.
         */
        @WithDefault("1000")
        int chunkSize();
    }

    /** How GraphQL requests are answered over HTTP. */
    interface Graphql {
        /**
         * Answer a query whose every field has a compiled form with one SQL statement that writes the
         * JSON of its data (TRACEGQL_GRAPHQL_COMPILED); off, every request runs field by field. Pages
         * filtered by values are left to the general path, which is faster for them; the compiled path
         * answers project pages, trace trees and nested children 2.1-2.7x as fast (bench/RESULTS.md).
         */
        @WithDefault("true")
        boolean compiled();

        /** Parsed and validated documents kept in memory, by query text and operation name. */
        @WithDefault("2048")
        int documentCacheSize();

        /** Automatic persisted queries kept in memory, by the SHA-256 hash of their text. */
        @WithDefault("10000")
        int persistedQueryCacheSize();

        /**
         * Distinct operation names that the request metrics tell apart; requests of any further name
         * are counted under {@code other}, so that clients cannot grow the metrics without bound.
         */
        @WithDefault("100")
        int metricsOperationNames();
    }

    /** Public share links of traces. */
    interface Share {
        /** Secret that share tokens are derived from (TRACEGQL_SHARE_SECRET); sharing is off without it. */
        Optional<String> secret();

        /** Public base URL that share links start with (TRACEGQL_SHARE_BASE_URL). */
        @WithDefault("http://localhost:8080")
        String baseUrl();
    }

    /** Live updates over GraphQL subscriptions. */
    interface Subscriptions {
        /**
         * Changes a subscription may have waiting while it is still sending earlier ones. A subscriber
         * that falls further behind is ended with a SUBSCRIBER_TOO_SLOW error (it resubscribes and
         * refetches); ingest and other subscribers never wait for it.
         */
        @WithDefault("1000")
        int bufferSize();

        /** Changes read from the database in one statement for one subscription. */
        @WithDefault("100")
        int batchSize();

        /** The shortest time between two events of traceUpdated and projectStatsChanged. */
        @WithDefault("1s")
        Duration interval();

        /**
         * Subscriptions open at once on one WebSocket connection; one more is refused with
         * TOO_MANY_SUBSCRIPTIONS. Counted per gateway instance, as the two caps below.
         */
        @WithDefault("100")
        int maxPerConnection();

        /** Subscriptions open at once with one API key, over all its connections to this instance. */
        @WithDefault("1000")
        int maxPerKey();

        /**
         * WebSocket connections open at once with one API key to this instance; one more is refused
         * (429 at the handshake when the key is in its headers, else closed with 4429 at its first
         * subscription, when the key in connection_init becomes known).
         */
        @WithDefault("200")
        int maxConnectionsPerKey();
    }

    Quotas quotas();

    /**
     * Per-key quotas: token buckets in the memory of each instance, refilled at a steady rate and
     * holding at most a burst. A request over a quota is answered 429 with Retry-After.
     */
    interface Quotas {
        /** Off, no request is metered. */
        @WithDefault("true")
        boolean enabled();

        /** Requests per second an API key may make on average (every authenticated request). */
        @WithDefault("1000")
        double requestsPerSecond();

        /** Requests an API key may make at once after a quiet spell. */
        @WithDefault("2000")
        long requestBurst();

        /** Ingest body bytes per second (as sent, compressed or not) an API key may send on average. */
        @WithDefault("50M")
        MemorySize ingestBytesPerSecond();

        /**
         * Ingest body bytes an API key may send at once. A single body larger than this is still
         * admitted when the bucket is full, and then leaves the key in debt until it refills.
         */
        @WithDefault("100M")
        MemorySize ingestBurst();

        /**
         * Keys whose buckets are kept at once. A full bucket is the same as none, so idle keys are
         * dropped first; past this many busy keys, some are dropped and start over with a full bucket.
         */
        @WithDefault("100000")
        int maxKeys();

        /**
         * How long a request over its key's request quota is held before it is answered: served when
         * its token comes within this time, else refused with 429 at its end. A client that waits
         * for each answer is so slowed to its quota. 0 answers 429 at once.
         */
        @WithDefault("1s")
        Duration maxDelay();

        /**
         * Requests held at once, over all keys: waiting for their key's token (max-delay) or for a
         * turn to execute (max-concurrent-requests). Past it, a request over its quota is refused at
         * once, and one that would wait for a turn is refused with 429 and Retry-After: 1.
         */
        @WithDefault("10000")
        int maxHeldRequests();

        /**
         * Requests of API keys executing at once; more wait, one queue per key, served in turn, so
         * that a key with many requests in flight does not delay another key's by more than a turn.
         * Unset: the reactive database pool's size (quarkus.datasource.reactive.max-size); 0: no limit.
         */
        OptionalInt maxConcurrentRequests();
    }

    /** Limits every GraphQL request is checked against before any data is fetched. */
    interface Limits {
        /** Nesting of fields. */
        @WithDefault("12")
        int maxDepth();

        /** Fields renamed with an alias (each may run the same resolver again). */
        @WithDefault("30")
        int maxAliases();

        /** Fields weighted by how many items the lists above them may return. */
        @WithDefault("200000")
        long maxCost();

        /** Directives in the document. */
        @WithDefault("20")
        int maxDirectives();

        /** Characters in the document. */
        @WithDefault("20000")
        int maxCharacters();
    }

    Preview preview();

    DemoData demoData();

    interface Page {
        /** Page size when a query gives no {@code first}. */
        @WithDefault("50")
        int defaultSize();

        /** Largest {@code first} a query may ask for. */
        @WithDefault("200")
        int maxSize();
    }

    /** Deleting traces that projects no longer keep (see Project.retention). */
    interface Retention {
        /** How often the projects' retention is applied (also once shortly after start). */
        @WithDefault("1h")
        Duration interval();

        /** Traces deleted per transaction: each batch commits on its own, so ingest never waits long. */
        @WithDefault("500")
        int batchSize();
    }

    /** The weekly partitions of runs (see store/RunPartitions, README "Partitioned runs"). */
    interface Partitions {
        /** How often partitions are created ahead and old ones dropped (also once at start). */
        @WithDefault("1h")
        Duration interval();

        /** Weeks after the current one that have a partition ready before their runs arrive. */
        @WithDefault("4")
        int weeksAhead();

        /**
         * Partitions whose whole week ended longer ago than this are dropped with their runs; unset
         * (the default) keeps every partition. Project retention still applies to what is kept.
         */
        Optional<Duration> maxAge();
    }

    /** Moving the runs' pending rollup changes into the compacted rollups (see store/RunRollups). */
    interface Rollups {
        /** How often pending changes are compacted; reads stay exact in between, only slower. */
        @WithDefault("1s")
        Duration compactInterval();

        /** Most changes moved per transaction; a round repeats until fewer remain. */
        @WithDefault("20000")
        int compactBatchSize();
    }

    interface Database {
        /** The longest a request waits for the database before it fails (also the statement timeout). */
        @WithDefault("10s")
        Duration requestTimeout();
    }

    /**
     * A streaming replica of the database that serves the reads of requests made with a tenant's key
     * (TRACEGQL_READ_DATASOURCE_*); unset, every statement goes to the primary. Writes, Flyway, the
     * change feed, key lookups and reads inside a write stay on the primary.
     */
    interface ReadDatasource {
        /** Reactive URL of the replica, e.g. postgresql://127.0.0.1:5433/tracegql; unset: no replica. */
        Optional<String> url();

        /** User on the replica; unset: the URL's, else the primary's (quarkus.datasource.username). */
        Optional<String> username();

        /** Password on the replica; unset: the URL's, else the primary's. */
        Optional<String> password();

        /** Connections to the replica at most. */
        @WithDefault("16")
        int maxSize();

        /** How often the replica's replay position is compared with the primary's WAL position. */
        @WithDefault("100ms")
        Duration pollInterval();

        /** A replica further behind the primary than this serves nothing until it catches up. */
        @WithDefault("5s")
        Duration maxLag();
    }

    interface Preview {
        /** Length in characters of inputsPreview, outputsPreview and errorPreview. */
        @WithDefault("200")
        int maxLength();
    }

    interface DemoData {
        /** Load a demo data set at start when the default tenant has no projects. */
        @WithDefault("false")
        boolean enabled();

        /** Seed of the demo data generator: the same seed gives the same data. */
        @WithDefault("42")
        long seed();
    }
}
