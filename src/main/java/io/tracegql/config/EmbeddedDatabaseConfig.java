package io.tracegql.config;

import java.nio.file.Path;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The PostgreSQL the gateway starts for itself when no datasource URL is configured. Read before
 * the application starts (by {@link GatewayMain}), hence static-init safe.
 */
@StaticInitSafe
@ConfigMapping(prefix = "tracegql.embedded-database")
public interface EmbeddedDatabaseConfig {

    /** False to refuse to start without a configured database instead of starting one. */
    @WithDefault("true")
    boolean enabled();

    /** Where the embedded database keeps its data; it survives restarts. */
    @WithDefault("${user.home}/.tracegql/postgres")
    Path dataDir();

    /** Port the embedded database listens on (localhost only); 0 picks a free one at each start. */
    @WithDefault("0")
    int port();
}
