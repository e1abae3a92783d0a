package io.tracegql.config;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Starts the gateway, first starting its own PostgreSQL when no datasource is configured, so that
 * the jar runs on a machine with nothing but Java.
 */
@QuarkusMain
public class GatewayMain {

    public static void main(String... args) {
        EmbeddedDatabase.startWhenNoneConfigured(startupConfig());
        Quarkus.run(args);
    }

    /**
     * The configuration as the application will see it (the same sources, under the profile chosen
     * at run time), read before the application starts.
     */
    private static SmallRyeConfig startupConfig() {
        List<ConfigSource> sources = new ArrayList<>();
        ConfigProvider.getConfig().getConfigSources().forEach(sources::add);
        String profile = System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"));
        return new SmallRyeConfigBuilder()
                .withSources(sources)
                .withProfile(profile)
                .withMapping(EmbeddedDatabaseConfig.class)
                .build();
    }
}
