package io.tracegql.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import io.tracegql.domain.ClientException;

/**
 * The one limit on request bodies and the one place compressed bodies are inflated. A body of more
 * than {@link #MAX_BYTES} is refused as it arrives ({@link #bounded}; the HTTP layer's own
 * {@code quarkus.http.limits.max-body-size} is a backstop a little above it). The HTTP layer does not
 * decompress: a body sent with {@code Content-Encoding: gzip} or {@code deflate} is inflated here, and
 * refused as soon as it inflates past the same limit, so a body that would inflate to gigabytes costs
 * one limit's worth of memory and of work.
 */
public final class RequestBodies {

    /** The most bytes a request body may hold, before and after decompression. */
    public static final long MAX_BYTES = 20L * 1024 * 1024;

    private RequestBodies() {}

    /** A body that breaks a limit or cannot be decoded; {@link #status()} is the HTTP status to answer. */
    public static final class BodyException extends ClientException {
        private final int status;

        BodyException(int status, String code, String message) {
            super(code, message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Whether a body with this {@code Content-Encoding} needs inflating. */
    public static boolean isEncoded(String contentEncoding) {
        return contentEncoding != null
                && !contentEncoding.isBlank()
                && !contentEncoding.strip().equalsIgnoreCase("identity");
    }

    /** The body as sent, inflated when its {@code Content-Encoding} says it is compressed. */
    public static byte[] decoded(byte[] body, String contentEncoding) {
        if (!isEncoded(contentEncoding)) {
            return body;
        }
        try (InputStream in = inflating(new ByteArrayInputStream(body), contentEncoding)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BodyException(400, "BAD_REQUEST", "the request body could not be read: " + e.getMessage());
        }
    }

    /** Gzip, the body of {@code Content-Encoding: gzip}, inflated within the limit. */
    public static byte[] gunzipped(byte[] body) {
        return decoded(body, "gzip");
    }

    /**
     * The stream inflated as its {@code Content-Encoding} says, failing with a {@link BodyException}
     * (413) as soon as more than {@link #MAX_BYTES} come out of it.
     */
    public static InputStream inflating(InputStream compressed, String contentEncoding) {
        String encoding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        try {
            InputStream inflated =
                    switch (encoding) {
                        case "gzip", "x-gzip" -> new GZIPInputStream(compressed, 8192);
                        case "deflate" -> new InflaterInputStream(compressed);
                        default ->
                            throw new BodyException(
                                    415,
                                    "UNSUPPORTED_MEDIA_TYPE",
                                    "Content-Encoding '" + contentEncoding
                                            + "' is not supported: send the body as it is, or with gzip or deflate");
                    };
            return new Bounded(inflated, tooLarge());
        } catch (ZipException e) {
            throw notValid(encoding, e);
        } catch (IOException e) {
            throw new BodyException(400, "BAD_REQUEST", "the request body ends before its gzip header does");
        }
    }

    private static BodyException notValid(String encoding, IOException e) {
        return new BodyException(
                400, "BAD_REQUEST", "the request body is not valid " + encoding + ": " + e.getMessage());
    }

    /** The stream as sent, failing with a {@link BodyException} (413) past {@link #MAX_BYTES}. */
    public static InputStream bounded(InputStream asSent) {
        return new Bounded(asSent, tooLargeAsSent());
    }

    /** The message of a body over the limit as sent. */
    static String tooLargeAsSent() {
        return "the request body is larger than " + MAX_BYTES + " bytes: split it into smaller requests";
    }

    /** The message of a body over the limit once inflated. */
    static String tooLarge() {
        return "the request body is larger than " + MAX_BYTES + " bytes once decompressed";
    }

    /** Counts what comes out and stops at the limit; decoding errors become the client's. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private final String tooLarge;
        private long count;

        Bounded(InputStream in, String tooLarge) {
            this.in = in;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (ZipException e) {
                throw notValid("compressed data", e);
            } catch (java.io.EOFException e) {
                throw new BodyException(400, "BAD_REQUEST", "the compressed request body ends early");
            }
            if (n > 0) {
                count += n;
                if (count > MAX_BYTES) {
                    throw new BodyException(413, "PAYLOAD_TOO_LARGE", tooLarge);
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
