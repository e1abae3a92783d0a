package io.tracegql.ingest;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.tracegql.security.RequestBodies;
import io.tracegql.store.DatabaseUnavailableException;

/**
 * Answers failed REST requests with a JSON body: refused requests name the part and field at fault;
 * a body that ends early is a 400; a database that cannot be reached answers 503, which LangSmith
 * clients retry; anything else is a 500 without internal details.
 */
public class IngestErrors {

    private static final Logger LOG = Logger.getLogger(IngestErrors.class);

    private final IngestMetrics metrics;

    public IngestErrors(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response refused(IngestException e) {
        metrics.rejected(IngestMetrics.Api.LANGSMITH, e.status());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.status() == 400 ? "malformed_request" : "invalid_request");
        body.put("message", e.getMessage());
        if (e.part() != null) {
            body.put("part", e.part());
        }
        if (e.field() != null) {
            body.put("field", e.field());
        }
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }

    @ServerExceptionMapper
    public Response body(RequestBodies.BodyException e) {
        return json(e.status(), e.status() == 413 ? "payload_too_large" : "malformed_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response failed(Throwable e) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return json(status, status >= 500 ? "server_error" : "request_error", web.getMessage());
        }
        if (e instanceof DatabaseUnavailableException) {
            LOG.warnf("database unavailable: %s", e.getMessage());
            return json(503, "unavailable", "the database is unavailable; retry later");
        }
        if (e instanceof IOException) {
            // The body could not be read: it ended early (e.g. a multipart body without its closing
            // boundary, or a client that hung up in the middle of an upload). A fault of the request's.
            metrics.rejected(IngestMetrics.Api.LANGSMITH, 400);
            return json(400, "malformed_request", "the request body could not be read: " + e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed (error id %s)", id);
        return json(500, "server_error", "the request failed; error id " + id);
    }

    static Response json(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }
}
