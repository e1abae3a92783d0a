package io.tracegql.store;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The read replica's state in readiness, always UP: without the replica every read is answered by
 * the primary, so an instance whose replica is down or lagging still serves. The data say which:
 * {@code off}, {@code up}, {@code down} or {@code lagging}, and how far behind it is.
 */
@Readiness
@ApplicationScoped
public class ReadReplicaHealth implements HealthCheck {

    private final ReadRouting routing;

    public ReadReplicaHealth(ReadRouting routing) {
        this.routing = routing;
    }

    @Override
    public HealthCheckResponse call() {
        String state = routing.state();
        var response = HealthCheckResponse.named("Read replica").up().withData("state", state);
        if (!state.equals("off")) {
            response.withData("lagMillis", routing.lagMillis())
                    .withData("lagBytes", routing.lagBytes())
                    .withData("writersWaiting", routing.writersWaiting());
        }
        return response.build();
    }
}
