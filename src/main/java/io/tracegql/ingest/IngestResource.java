package io.tracegql.ingest;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

import io.tracegql.security.RequestBodies;
import io.tracegql.security.Tenancy;

/**
 * The write side of the LangSmith REST API, so that LangSmith SDKs trace into the gateway with only
 * {@code LANGSMITH_ENDPOINT} set. Every request is validated as a whole and committed before it is
 * answered.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class IngestResource {

    /** The largest request body accepted, advertised to clients in /info. */
    static final long SIZE_LIMIT_BYTES = RequestBodies.MAX_BYTES;

    private final IngestRequests requests;
    private final IngestService ingest;
    private final Tenancy tenancy;

    public IngestResource(IngestRequests requests, IngestService ingest, Tenancy tenancy) {
        this.requests = requests;
        this.ingest = ingest;
        this.tenancy = tenancy;
    }

    /** What LangSmith clients ask first: how to send batches. */
    @GET
    @Path("info")
    public Map<String, Object> info() {
        return Map.of(
                "version", "tracegql",
                "batch_ingest_config",
                        Map.of(
                                "use_multipart_endpoint", true,
                                "size_limit", 100,
                                "size_limit_bytes", SIZE_LIMIT_BYTES,
                                "scale_up_qsize_trigger", 1000,
                                "scale_up_nthreads_limit", 16,
                                "scale_down_nempty_trigger", 4),
                "instance_flags", Map.of("gzip_body_enabled", true, "zstd_compression_enabled", false));
    }

    @POST
    @Path("runs/multipart")
    @MeteredIngest
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> multipart(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return accept(requests.multipart(Multipart.parse(body, contentType)));
    }

    @POST
    @Path("runs/batch")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> batch(byte[] body) {
        return accept(requests.batch(body));
    }

    @POST
    @Path("runs")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(byte[] body) {
        return accept(requests.post(body));
    }

    @PATCH
    @Path("runs/{id}")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, byte[] body) {
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw IngestException.malformed("path", "the run id in the path must be a UUID, got '" + id + "'");
        }
        return accept(requests.patch(runId, body));
    }

    @POST
    @Path("feedback")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Map<String, Object>> feedback(byte[] body) {
        IncomingFeedback feedback = requests.feedback(body);
        return ingest.write(
                        tenancy.currentTenantId(), new IngestBatch(List.of(), List.of(), List.of(feedback), List.of()))
                .map(ignored -> FeedbackView.of(feedback));
    }

    private Uni<Response> accept(IngestBatch batch) {
        return ingest.write(tenancy.currentTenantId(), batch)
                .map(ignored ->
                        Response.accepted(Map.of("accepted", batch.size())).build());
    }
}
