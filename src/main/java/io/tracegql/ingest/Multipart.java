package io.tracegql.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) that is already whole in memory, so every
 * limit is held by counting bytes that are there: a part ends only at the next boundary, whatever
 * length its headers or its content type's {@code length=} declare, and no part can be larger than
 * the body, which the HTTP layer and {@link io.tracegql.security.RequestBodies} bound. Anything that is
 * not a well-formed body fails with a 400 naming what is wrong.
 */
final class Multipart {

    /** The most parts one request may have. */
    static final int MAX_PARTS = 10_000;
    /** The most bytes the headers of one part may take. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** RFC 2046's longest boundary. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    /** One part: its form name, file name (null for a plain field), content type (null if none) and bytes. */
    record Part(String name, String fileName, String contentType, byte[] data) {}

    private Multipart() {}

    /** The parts of {@code body}, in order; {@code contentType} is the request's, which names the boundary. */
    static List<Part> parse(byte[] body, String contentType) {
        String boundary = boundary(contentType);
        byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at;
        if (startsWith(body, 0, dashBoundary)) {
            at = dashBoundary.length;
        } else {
            // A preamble before the first boundary is allowed, and ignored.
            int first = indexOf(body, delimiter, 0);
            if (first < 0) {
                throw malformed("the multipart body has no boundary '" + boundary + "' (from its Content-Type)");
            }
            at = first + delimiter.length;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            // After a boundary: "--" closes the body; otherwise optional whitespace and CRLF start a part.
            if (startsWith(body, at, new byte[] {'-', '-'})) {
                return parts;
            }
            while (at < body.length && (body[at] == ' ' || body[at] == '\t')) {
                at++;
            }
            if (!startsWith(body, at, CRLF)) {
                throw malformed(
                        at >= body.length
                                ? endsEarly()
                                : "a boundary line is followed by other text than a line break");
            }
            at += CRLF.length;
            if (parts.size() == MAX_PARTS) {
                throw malformed(
                        "the multipart body has more than " + MAX_PARTS + " parts; send fewer runs per request");
            }
            int headersEnd = indexOf(body, HEADERS_END, at, Math.min(body.length, at + MAX_HEADER_BYTES + 2));
            int contentStart;
            String headers;
            if (startsWith(body, at, CRLF)) {
                headers = "";
                contentStart = at + CRLF.length;
            } else if (headersEnd < 0) {
                throw malformed(
                        body.length - at > MAX_HEADER_BYTES
                                ? "the headers of part " + (parts.size() + 1) + " are longer than " + MAX_HEADER_BYTES
                                        + " bytes"
                                : endsEarly());
            } else {
                headers = new String(body, at, headersEnd - at, StandardCharsets.UTF_8);
                contentStart = headersEnd + HEADERS_END.length;
            }
            int contentEnd = indexOf(body, delimiter, contentStart);
            if (contentEnd < 0) {
                throw malformed(endsEarly());
            }
            parts.add(part(headers, parts.size() + 1, Arrays.copyOfRange(body, contentStart, contentEnd)));
            at = contentEnd + delimiter.length;
        }
    }

    private static Part part(String headers, int number, byte[] data) {
        String disposition = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("part " + number + " has a header line without a name: '" + shorten(line) + "'");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null) {
            throw malformed("part " + number + " has no Content-Disposition header naming it");
        }
        List<String> pieces = parameters(disposition);
        if (!pieces.get(0).equalsIgnoreCase("form-data")) {
            throw malformed("part " + number + " is not form-data: Content-Disposition '" + shorten(disposition) + "'");
        }
        String name = parameter(pieces, "name");
        if (name == null || name.isEmpty()) {
            throw malformed("part " + number + " has no name in its Content-Disposition");
        }
        return new Part(name, parameter(pieces, "filename"), contentType, data);
    }

    private static String boundary(String contentType) {
        if (contentType == null) {
            throw malformed("the request has no Content-Type; send multipart/form-data with a boundary");
        }
        List<String> pieces = parameters(contentType);
        if (!pieces.get(0).equalsIgnoreCase("multipart/form-data")) {
            throw malformed("the Content-Type must be multipart/form-data, got '" + shorten(contentType) + "'");
        }
        String boundary = parameter(pieces, "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw malformed("the Content-Type names no boundary: multipart/form-data; boundary=...");
        }
        if (boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw malformed("the boundary is longer than " + MAX_BOUNDARY_LENGTH + " characters");
        }
        return boundary;
    }

    /** A header value's first item and its {@code key=value} parameters, values unquoted. */
    private static List<String> parameters(String value) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                piece.append(value.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                pieces.add(piece.toString().strip());
                piece.setLength(0);
            } else {
                piece.append(c);
            }
        }
        pieces.add(piece.toString().strip());
        return pieces;
    }

    private static String parameter(List<String> pieces, String key) {
        for (int i = 1; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            int equals = piece.indexOf('=');
            if (equals > 0 && piece.substring(0, equals).strip().equalsIgnoreCase(key)) {
                return piece.substring(equals + 1).strip();
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || body.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] pattern, int from) {
        return indexOf(body, pattern, from, body.length);
    }

    /** The first index of {@code pattern} in {@code body} that starts at or after {@code from} and ends by {@code to}. */
    private static int indexOf(byte[] body, byte[] pattern, int from, int to) {
        byte first = pattern[0];
        for (int i = Math.max(from, 0); i <= to - pattern.length; i++) {
            if (body[i] == first && startsWith(body, i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private static String endsEarly() {
        return "the multipart body ends before its closing boundary";
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static IngestException malformed(String message) {
        return IngestException.malformed("body", "the request body could not be read: " + message);
    }
}
