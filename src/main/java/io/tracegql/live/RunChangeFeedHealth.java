package io.tracegql.live;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the change feed is listening: an instance that would miss changes should not take
 * subscribers. After a restart of the database it is ready again within about a second of the
 * database.
 */
@Readiness
@ApplicationScoped
public class RunChangeFeedHealth implements HealthCheck {

    private final RunChangeFeed feed;

    public RunChangeFeedHealth(RunChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Run change feed (LISTEN " + RunChangeFeed.CHANNEL + ")")
                .status(feed.listening())
                .build();
    }
}
