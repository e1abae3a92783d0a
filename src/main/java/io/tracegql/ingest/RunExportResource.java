package io.tracegql.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.domain.RunFilter;
import io.tracegql.security.Tenancy;
import io.tracegql.store.DatabaseUnavailableException;
import io.tracegql.store.RunExport;
import io.tracegql.store.RunRecord;
import io.tracegql.store.RunSelection;

/**
 * Every run that matches a filter as NDJSON: one run per line, in the JSON of {@code /runs/query}'s
 * runs, in the export order of {@link RunExport} (project by project, newest first). The parameters
 * are those of a {@code /runs/query} body, as query parameters ({@code GET}) or as the body
 * ({@code POST}), plus {@code after}: the id of the last run a client received, to resume an export
 * that was cut. A bad parameter is a 400 before any line; a failure after the first line cannot
 * change the status any more and ends the stream with one {@code {"export_error": ...}} line.
 */
@Path("/runs/export")
public class RunExportResource {

    static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = Logger.getLogger(RunExportResource.class);

    /** Parameters that may be given more than once, each value an item of a list. */
    private static final Set<String> LISTS = Set.of("session", "id", "select");

    /** Parameters that are true or false. */
    private static final Set<String> FLAGS = Set.of("is_root", "error");

    /** Every parameter of an export; anything else is refused rather than ignored, as a typo would widen the export. */
    private static final List<String> PARAMETERS = List.of(
            "session",
            "id",
            "trace",
            "parent_run",
            "run_type",
            "is_root",
            "error",
            "start_time",
            "end_time",
            "filter",
            "trace_filter",
            "tree_filter",
            "select",
            "after");

    private final RunExport export;
    private final RunViews views;
    private final Tenancy tenancy;
    private final ObjectMapper mapper;
    private final int chunkSize;
    private final Counter exported;
    private final AtomicInteger open = new AtomicInteger();

    public RunExportResource(
            RunExport export,
            RunViews views,
            Tenancy tenancy,
            ObjectMapper mapper,
            TracegqlConfig config,
            MeterRegistry metrics) {
        this.export = export;
        this.views = views;
        this.tenancy = tenancy;
        this.mapper = mapper;
        this.chunkSize = config.export().chunkSize();
        this.exported = Counter.builder("tracegql.export.runs")
                .description("Runs written by exports (GET and POST /runs/export)")
                .register(metrics);
        Gauge.builder("tracegql.exports.open", open, AtomicInteger::get)
                .description("Exports streaming now")
                .register(metrics);
    }

    @GET
    @Produces(NDJSON)
    public Multi<Buffer> get(@Context UriInfo uri) {
        return export(fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(NDJSON)
    public Multi<Buffer> post(byte[] body) {
        return export(ReadRequests.body(mapper, body));
    }

    private Multi<Buffer> export(JsonNode json) {
        json.fieldNames().forEachRemaining(name -> {
            if (!PARAMETERS.contains(name)) {
                throw IngestException.malformed(
                        name,
                        name + " is not a parameter of an export; the parameters are " + String.join(", ", PARAMETERS));
            }
        });
        RunFilter filter = LangSmithReadResource.filter(json, false);
        List<UUID> projects = ReadRequests.uuids(json, "session");
        UUID after = ReadRequests.uuid(json, "after");
        List<String> select = ReadRequests.select(json);
        RunSelection selection = RunSelection.of(RunView.columns(select));
        UUID tenantId = tenancy.currentTenantId();
        Progress progress = new Progress();
        return start(tenantId, after)
                .onItem()
                .transformToMulti(position -> export.chunks(tenantId, projects, filter, position, chunkSize, selection))
                .onItem()
                .transformToUniAndConcatenate(
                        chunk -> views.of(tenantId, chunk, select).map(lines -> {
                            Buffer buffer = lines(lines);
                            progress.sent(chunk);
                            return buffer;
                        }))
                .onFailure()
                .recoverWithMulti(failure -> progress.count == 0
                        // Nothing written yet: the status still tells (a 400 for an unknown after, a 503...).
                        ? Multi.createFrom().failure(failure)
                        : Multi.createFrom().item(errorLine(failure, progress)))
                .onSubscription()
                .invoke(open::incrementAndGet)
                .onTermination()
                .invoke(open::decrementAndGet);
    }

    /** Where the export starts: the beginning, or just after the run named by {@code after}. */
    private Uni<RunExport.Position> start(UUID tenantId, UUID after) {
        if (after == null) {
            return Uni.createFrom().nullItem();
        }
        return export.positionAfter(tenantId, after).map(position -> {
            if (position == null) {
                throw IngestException.malformed(
                        "after",
                        "after: run " + after + " does not exist; resume with the id of the last run line received");
            }
            return position;
        });
    }

    /** The chunk's runs, one JSON object per line; the response adds the newline after the last. */
    private Buffer lines(List<Map<String, Object>> runs) {
        Buffer buffer = Buffer.buffer();
        try {
            for (int i = 0; i < runs.size(); i++) {
                if (i > 0) {
                    buffer.appendByte((byte) '\n');
                }
                buffer.appendBytes(mapper.writeValueAsBytes(runs.get(i)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run could not be written as JSON", e);
        }
        return buffer;
    }

    /** The last line of an export that failed after its first lines: what failed, and where to resume. */
    private Buffer errorLine(Throwable failure, Progress progress) {
        Map<String, Object> error = new LinkedHashMap<>();
        if (failure instanceof DatabaseUnavailableException) {
            LOG.warnf("export ended after %d runs, database unavailable: %s", progress.count, failure.getMessage());
            error.put("error", "unavailable");
            error.put("message", "the database is unavailable; resume later with after=" + progress.lastId);
        } else {
            String id = UUID.randomUUID().toString();
            LOG.errorf(failure, "export failed after %d runs (error id %s)", progress.count, id);
            error.put("error", "server_error");
            error.put("message", "the export failed; error id " + id + "; resume with after=" + progress.lastId);
        }
        error.put("runs", progress.count);
        error.put("after", progress.lastId.toString());
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(Map.of("export_error", error)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A query string as the JSON body of the same export: the values of {@link #LISTS} as arrays,
     * {@link #FLAGS} as booleans, anything else as text given once.
     */
    private ObjectNode fromQuery(MultivaluedMap<String, String> parameters) {
        ObjectNode json = mapper.createObjectNode();
        parameters.forEach((name, values) -> {
            if (LISTS.contains(name)) {
                ArrayNode list = json.putArray(name);
                values.forEach(list::add);
            } else if (values.size() > 1) {
                throw IngestException.malformed(name, name + " is given " + values.size() + " times; give it once");
            } else if (FLAGS.contains(name)) {
                String value = values.get(0);
                if (!value.equals("true") && !value.equals("false")) {
                    throw IngestException.malformed(name, name + " must be true or false, got '" + value + "'");
                }
                json.set(name, BooleanNode.valueOf(value.equals("true")));
            } else {
                json.put(name, values.get(0));
            }
        });
        return json;
    }

    /** How far an export got: the runs sent and the id of the last, which is where it resumes. */
    private final class Progress {
        private long count;
        private UUID lastId;

        void sent(List<RunRecord> chunk) {
            count += chunk.size();
            lastId = chunk.get(chunk.size() - 1).id();
            exported.increment(chunk.size());
        }
    }
}
