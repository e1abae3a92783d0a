package io.tracegql.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose declared {@code Content-Length} is over {@link RequestBodies#MAX_BYTES} before
 * anything else looks at it, with 413 and a JSON body in the shape of the API it was sent to. The HTTP
 * layer would refuse it too, but with an empty answer that tells the client nothing. A client that asked
 * {@code Expect: 100-continue} gets the answer without sending its body.
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** Before authentication ({@link ApiKeyFilter}): an oversized body is refused whoever sends it. */
    private static final int PRIORITY = 200;

    /** How long a connection whose client is still sending a refused body stays open after the answer. */
    private static final long LINGER_MILLIS = 1_000;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext rc) {
        String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && tooLarge(declared.strip())) {
            refuse(rc);
            return;
        }
        rc.next();
    }

    /** Answers 413 for a body over the limit, whose rest is not read. */
    public static void refuse(RoutingContext rc) {
        // The body is not read: the connection cannot be reused for the next request, and is closed after
        // the answer. A client that asked for 100 Continue sends nothing more: at once. One still sending
        // gets a moment to read the answer first, as closing on unread bytes resets the connection.
        boolean waitsForContinue = "100-continue".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.EXPECT));
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        ApiKeyFilter.respond(rc, 413, "PAYLOAD_TOO_LARGE", RequestBodies.tooLargeAsSent())
                .onComplete(ignored -> {
                    if (waitsForContinue) {
                        rc.request().connection().close();
                    } else {
                        rc.vertx().setTimer(LINGER_MILLIS, timer -> rc.request()
                                .connection()
                                .close());
                    }
                });
    }

    private static boolean tooLarge(String declared) {
        try {
            return Long.parseLong(declared) > RequestBodies.MAX_BYTES;
        } catch (NumberFormatException e) {
            // Digits beyond a long are over the limit too; anything else is the HTTP layer's to refuse.
            return !declared.isEmpty() && declared.chars().allMatch(Character::isDigit);
        }
    }
}
