package io.tracegql.ingest;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import io.tracegql.security.RequestBodies;

/**
 * The two encodings of OTLP/HTTP: binary protobuf and protobuf's JSON mapping with OTLP's changes to
 * it (trace and span ids as hex, not base64; unknown fields ignored). Requests are read and answers
 * (an {@code ExportTraceServiceResponse}, or a {@code google.rpc.Status} for a refused request) written
 * in the encoding the request came in.
 */
enum OtlpCodec {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    /** Names of the fields that hold ids, in the spans and in their links, as JSON may spell them. */
    private static final List<String> ID_FIELDS =
            List.of("traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final Descriptors.Descriptor STATUS = statusDescriptor();
    /** google.rpc.Code INVALID_ARGUMENT: what every refused request is. */
    static final int INVALID_ARGUMENT = 3;

    private final String mediaType;

    OtlpCodec(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The codec of a request's content type, or null when OTLP/HTTP has none for it. */
    static OtlpCodec of(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
            case "application/json" -> JSON;
            default -> null;
        };
    }

    ExportTraceServiceRequest read(byte[] received) {
        try {
            byte[] body = inflated(received);
            if (this == PROTOBUF) {
                return ExportTraceServiceRequest.parseFrom(body);
            }
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                throw IngestException.malformed(
                        "body", "the body must be a JSON ExportTraceServiceRequest object {\"resourceSpans\": [...]}");
            }
            hexIdsToBase64(json);
            ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
            PARSER.merge(MAPPER.writeValueAsString(json), request);
            return request.build();
        } catch (InvalidProtocolBufferException e) {
            throw IngestException.malformed(
                    "body",
                    "the body is not an OTLP ExportTraceServiceRequest in " + describe() + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw IngestException.malformed(
                    "body",
                    "the body is not valid JSON: " + e.getOriginalMessage().split("[:\\n]")[0]
                            + IngestRequests.where(e));
        } catch (IOException e) {
            throw IngestException.malformed("body", "the body could not be read");
        }
    }

    /**
     * The body, gunzipped if it still is gzip: bodies sent with {@code Content-Encoding: gzip} are
     * inflated before they are read ({@link BoundedBodies}), and this takes gzip that came without
     * the header, within the same limit. Neither an OTLP protobuf message nor JSON can
     * start with gzip's magic bytes (0x1f is an invalid protobuf tag), so they tell the two apart.
     */
    private static byte[] inflated(byte[] body) {
        if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
            return body;
        }
        try {
            return RequestBodies.gunzipped(body);
        } catch (RequestBodies.BodyException e) {
            // Refused like any other body that is not OTLP: with a google.rpc.Status.
            throw new IngestException(e.status(), "body", null, e.getMessage());
        }
    }

    byte[] write(Message message) {
        if (this == PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return PRINTER.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an OTLP message did not print as JSON", e);
        }
    }

    /** A google.rpc.Status, what OTLP/HTTP answers a refused request with. */
    byte[] status(int code, String message) {
        return write(DynamicMessage.newBuilder(STATUS)
                .setField(STATUS.findFieldByName("code"), code)
                .setField(STATUS.findFieldByName("message"), message)
                .build());
    }

    private String describe() {
        return this == PROTOBUF ? "protobuf" : "JSON";
    }

    /**
     * OTLP's JSON carries ids as hex where protobuf's JSON mapping expects base64: rewrites them, in
     * spans and in span links. A value that is not hex is left as it is, so it fails as the id it is.
     */
    private static void hexIdsToBase64(JsonNode request) {
        for (JsonNode resourceSpans : field(request, "resourceSpans", "resource_spans")) {
            for (JsonNode scopeSpans : field(resourceSpans, "scopeSpans", "scope_spans")) {
                for (JsonNode span : scopeSpans.path("spans")) {
                    rewriteIds(span);
                    for (JsonNode link : span.path("links")) {
                        rewriteIds(link);
                    }
                }
            }
        }
    }

    /** A field by its JSON name or its proto name, which protobuf's JSON parser both accepts. */
    private static JsonNode field(JsonNode node, String jsonName, String protoName) {
        return node.has(jsonName) ? node.path(jsonName) : node.path(protoName);
    }

    private static void rewriteIds(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (String field : ID_FIELDS) {
            JsonNode id = object.get(field);
            if (id != null && id.isTextual() && id.asText().matches("([0-9a-fA-F]{2})*")) {
                object.put(
                        field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id.asText())));
            }
        }
    }

    /** google/rpc/status.proto's Status (code and message; details are never sent). */
    private static Descriptors.Descriptor statusDescriptor() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("google/rpc/status.proto")
                .setPackage("google.rpc")
                .setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder()
                        .setName("Status")
                        .addField(field("code", 1, FieldDescriptorProto.Type.TYPE_INT32))
                        .addField(field("message", 2, FieldDescriptorProto.Type.TYPE_STRING)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("Status");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .setJsonName(name)
                .build();
    }
}
