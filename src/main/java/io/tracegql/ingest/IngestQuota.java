package io.tracegql.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

import io.tracegql.security.Caller;
import io.tracegql.security.KeyQuotas;

/**
 * Holds the bodies of the ingest endpoints ({@link MeteredIngest}) to the key's ingest quota
 * (tracegql.quotas.ingest-bytes-per-second), before the body is read: a body with a Content-Length
 * over what the key's bucket holds is answered 429 with Retry-After at once. A body without one
 * (chunked) cannot be measured before it arrives: it is counted when its request ends, and a key in
 * debt is refused until its bucket refilled. Bytes are counted as sent, gzip or not.
 */
@Provider
@MeteredIngest
public class IngestQuota implements ContainerRequestFilter {

    private final KeyQuotas quotas;
    private final CurrentVertxRequest request;

    public IngestQuota(KeyQuotas quotas, CurrentVertxRequest request) {
        this.quotas = quotas;
        this.request = request;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        String keyId = Caller.current().map(Caller::keyId).orElse(null);
        if (keyId == null) {
            return;
        }
        RoutingContext rc = request.getCurrent();
        long length = contentLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (length < 0) {
            rc.addEndHandler(
                    ignored -> quotas.chargeIngestBytes(keyId, rc.request().bytesRead()));
            length = 0;
        }
        long retryAfter = quotas.admitIngestBytes(keyId, length);
        if (retryAfter == 0) {
            return;
        }
        context.abortWith(Response.fromResponse(IngestErrors.json(
                        429,
                        "rate_limited",
                        "this API key sent more ingest bytes than its quota allows"
                                + " (tracegql.quotas.ingest-bytes-per-second); retry after " + retryAfter + " s"))
                .header(HttpHeaders.RETRY_AFTER, retryAfter)
                .build());
    }

    /** The declared length of the body; -1 when none (or not a number: the body is then measured as it comes). */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
