package io.tracegql.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.domain.Uuids;

/**
 * Turns the bodies LangSmith clients send into a validated {@link IngestBatch}: the JSON of
 * {@code /runs/batch}, {@code /runs}, {@code PATCH /runs/{id}} and {@code /feedback}, and the parts of
 * {@code /runs/multipart}. Any problem anywhere fails the whole request before anything is written.
 */
@ApplicationScoped
public class IngestRequests {

    private final ObjectMapper mapper;
    private final RunJson runJson;
    private final FeedbackJson feedbackJson;

    public IngestRequests(ObjectMapper mapper) {
        this.mapper = mapper;
        this.runJson = new RunJson(mapper);
        this.feedbackJson = new FeedbackJson(mapper);
    }

    /** {@code {"post": [...], "patch": [...]}}. */
    public IngestBatch batch(byte[] body) {
        JsonNode json = parse("body", body);
        if (!json.isObject()) {
            throw IngestException.malformed(
                    "body", "the body must be a JSON object {\"post\": [...], \"patch\": [...]}");
        }
        List<IncomingRun> posts = runs(json, "post", false);
        List<IncomingRun> patches = runs(json, "patch", true);
        return complete(new IngestBatch(posts, patches, List.of(), List.of()));
    }

    /** One run to create. */
    public IngestBatch post(byte[] body) {
        IncomingRun run = runJson.read("body", parse("body", body), false, null);
        return complete(new IngestBatch(List.of(run), List.of(), List.of(), List.of()));
    }

    /** One update of the run with this id. */
    public IngestBatch patch(UUID id, byte[] body) {
        IncomingRun run = runJson.read("body", parse("body", body), true, id);
        return complete(new IngestBatch(List.of(), List.of(run), List.of(), List.of()));
    }

    /** One piece of feedback. */
    public IncomingFeedback feedback(byte[] body) {
        return feedbackJson.read("body", parse("body", body), null);
    }

    /**
     * The parts of a multipart request: {@code post.<id>}, {@code patch.<id>} (run JSON), {@code
     * post.<id>.<field>} (a field sent on its own), {@code feedback.<id>} and {@code
     * attachment.<run id>.<name>} (a file).
     */
    public IngestBatch multipart(List<Multipart.Part> parts) {
        Map<String, IncomingRun> posts = new LinkedHashMap<>();
        Map<String, IncomingRun> patches = new LinkedHashMap<>();
        List<IncomingFeedback> feedback = new ArrayList<>();
        List<IncomingAttachment> attachments = new ArrayList<>();
        List<String[]> fields = new ArrayList<>();
        Map<String, Multipart.Part> fieldValues = new LinkedHashMap<>();
        for (Multipart.Part part : parts) {
            String name = part.name();
            String[] pieces = name.split("\\.", 3);
            String kind = pieces[0];
            if (kind.equals("attachment") && pieces.length == 3) {
                attachments.add(attachment(name, pieces, part));
                continue;
            }
            if (pieces.length < 2) {
                throw IngestException.malformed(
                        name,
                        "unknown part '" + name + "': expected post.<run id>,"
                                + " patch.<run id>, post.<run id>.<field>, feedback.<id> or attachment.<run id>.<name>");
            }
            UUID id = partId(name, pieces[1]);
            switch (kind) {
                case "post", "patch" -> {
                    if (pieces.length == 3) {
                        fields.add(pieces);
                        fieldValues.put(name, part);
                    } else {
                        IncomingRun run = runJson.read(name, parse(name, part.data()), kind.equals("patch"), id);
                        (kind.equals("post") ? posts : patches).put(id.toString(), run);
                    }
                }
                case "feedback" -> feedback.add(feedbackJson.read(name, parse(name, part.data()), id));
                default ->
                    throw IngestException.malformed(
                            name,
                            "unknown part '" + name + "': expected post.<run id>,"
                                    + " patch.<run id>, post.<run id>.<field>, feedback.<id> or attachment.<run id>.<name>");
            }
        }
        for (String[] pieces : fields) {
            String name = String.join(".", pieces);
            if (!RunJson.SPLIT_FIELDS.containsKey(pieces[2])) {
                throw IngestException.malformed(
                        name,
                        "unknown run field part '" + pieces[2] + "': one of "
                                + String.join(", ", RunJson.SPLIT_FIELDS.keySet()));
            }
            Map<String, IncomingRun> owners = pieces[0].equals("post") ? posts : patches;
            IncomingRun owner = owners.get(pieces[1]);
            if (owner == null) {
                throw IngestException.invalid(
                        name,
                        pieces[2],
                        "part " + name + " has no " + pieces[0] + "." + pieces[1] + " part in the same request");
            }
            runJson.mergeField(
                    owner, pieces[2], name, parse(name, fieldValues.get(name).data()));
        }
        return complete(new IngestBatch(
                new ArrayList<>(posts.values()), new ArrayList<>(patches.values()), feedback, attachments));
    }

    private IngestBatch complete(IngestBatch batch) {
        batch.posts().forEach(RunJson::complete);
        batch.patches().forEach(RunJson::complete);
        return batch;
    }

    private List<IncomingRun> runs(JsonNode json, String key, boolean patch) {
        JsonNode list = json.get(key);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw IngestException.malformed(key, "'" + key + "' must be an array of runs");
        }
        List<IncomingRun> runs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            runs.add(runJson.read(key + "[" + i + "]", list.get(i), patch, null));
        }
        return runs;
    }

    private IncomingAttachment attachment(String name, String[] pieces, Multipart.Part part) {
        UUID runId = partId(name, pieces[1]);
        String contentType = part.contentType();
        return new IncomingAttachment(
                name,
                runId,
                pieces[2],
                contentType == null ? "application/octet-stream" : contentType.split(";")[0].strip(),
                part.data());
    }

    private static UUID partId(String part, String id) {
        UUID uuid = Uuids.parseOrNull(id);
        if (uuid != null) {
            return uuid;
        }
        throw IngestException.malformed(part, "part '" + part + "' must name a UUID, got '" + id + "'");
    }

    private JsonNode parse(String part, byte[] body) {
        try {
            JsonNode json = mapper.readTree(body);
            if (json == null) {
                throw IngestException.malformed(part, "the " + part + " is empty; expected JSON");
            }
            return json;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage().split("[:\\n]")[0];
            throw IngestException.malformed(
                    part, "the " + part + " is not valid JSON: " + reason + IngestRequests.where(e));
        } catch (IOException e) {
            throw IngestException.malformed(part, "the " + part + " could not be read");
        }
    }

    /**
     * Where in the text JSON went wrong, for a message: " at line L, column C", or nothing when the
     * parser stopped on a limit (nesting, a number's length) rather than at a character.
     */
    static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
