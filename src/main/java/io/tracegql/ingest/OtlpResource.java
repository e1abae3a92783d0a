package io.tracegql.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.tracegql.security.Tenancy;

/**
 * OTLP/HTTP trace ingest: any OpenTelemetry exporter (OpenInference, OpenLLMetry, a plain SDK) sends
 * its spans here, in protobuf or JSON, and they become runs (see {@link OtlpSpans}) written like a
 * LangSmith batch: one transaction, merged by the field catalogue's rules, answered after the commit.
 * The paths are the OTLP default ({@code /v1/traces}) and the ones LangSmith and Langfuse document.
 */
@Path("/")
public class OtlpResource {

    /** Headers that name the project of every span of the request, before the resource's attributes. */
    static final String PROJECT_HEADER = "Langsmith-Project";

    static final String PROJECT_NAME_HEADER = "x-project-name";

    private final IngestService ingest;
    private final Tenancy tenancy;
    private final OtlpSpans spans;
    private final IngestMetrics metrics;

    public OtlpResource(IngestService ingest, Tenancy tenancy, ObjectMapper mapper, IngestMetrics metrics) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.tenancy = tenancy;
        this.spans = new OtlpSpans(mapper);
    }

    @POST
    @Path("v1/traces")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> traces(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(PROJECT_HEADER) String project,
            @HeaderParam(PROJECT_NAME_HEADER) String projectName,
            byte[] body) {
        OtlpCodec codec = OtlpCodec.of(contentType);
        if (codec == null) {
            throw new IngestException(
                    415,
                    "body",
                    null,
                    "OTLP/HTTP bodies are application/x-protobuf or application/json, not "
                            + (contentType == null
                                    ? "a body without a content type"
                                    : "'" + contentType.split(";", 2)[0].strip() + "'"));
        }
        ExportTraceServiceRequest request = codec.read(body);
        OtlpSpans.Conversion conversion = spans.read(request, projectOf(project, projectName));
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (conversion.rejected() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(conversion.rejected())
                    .setErrorMessage(conversion.rejectedMessage()));
        }
        return ingest.write(tenancy.currentTenantId(), conversion.batch())
                .map(ignored -> Response.ok(codec.write(response.build()), codec.mediaType())
                        .build());
    }

    @POST
    @Path("otel/v1/traces")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> otelTraces(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(PROJECT_HEADER) String project,
            @HeaderParam(PROJECT_NAME_HEADER) String projectName,
            byte[] body) {
        return traces(contentType, project, projectName, body);
    }

    @POST
    @Path("api/public/otel/v1/traces")
    @MeteredIngest
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> publicOtelTraces(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(PROJECT_HEADER) String project,
            @HeaderParam(PROJECT_NAME_HEADER) String projectName,
            byte[] body) {
        return traces(contentType, project, projectName, body);
    }

    /** A refused request is answered with a google.rpc.Status in the request's encoding (JSON when it has none). */
    @ServerExceptionMapper
    public Response refused(IngestException e, HttpHeaders headers) {
        metrics.rejected(IngestMetrics.Api.OTLP, e.status());
        OtlpCodec codec = OtlpCodec.of(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (codec == null) {
            codec = OtlpCodec.JSON;
        }
        String message =
                e.part() == null || e.part().equals("body") ? e.getMessage() : e.part() + ": " + e.getMessage();
        return Response.status(e.status())
                .type(codec.mediaType())
                .entity(codec.status(OtlpCodec.INVALID_ARGUMENT, message))
                .build();
    }

    private static String projectOf(String project, String projectName) {
        if (project != null && !project.isBlank()) {
            return project.strip();
        }
        return projectName != null && !projectName.isBlank() ? projectName.strip() : null;
    }
}
