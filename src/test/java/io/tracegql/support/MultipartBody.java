package io.tracegql.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Builds multipart/form-data bodies the way LangSmith SDKs do (one JSON part per run, field and
 * feedback, with {@code length=} in each part's content type) and sends them streamed, with {@code
 * Transfer-Encoding: chunked} and no Content-Length, optionally gzip-compressed.
 */
public final class MultipartBody {

    private static final String BOUNDARY = "----tracegql-test-boundary";
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public MultipartBody json(String name, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return part(name, "application/json; length=" + bytes.length, null, bytes);
    }

    public MultipartBody file(String name, String contentType, byte[] bytes) {
        return part(name, contentType + "; length=" + bytes.length, name, bytes);
    }

    private MultipartBody part(String name, String contentType, String fileName, byte[] bytes) {
        String disposition = "Content-Disposition: form-data; name=\"" + name + "\""
                + (fileName == null ? "" : "; filename=\"" + fileName + "\"");
        write("--" + BOUNDARY + "\r\n" + disposition + "\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Posts only the first half of the body to /runs/multipart, announced as the whole body (a body cut
     * short, without its closing boundary); returns the raw HTTP response.
     */
    public String sendFirstHalf(int port) {
        byte[] bytes = body.toByteArray();
        int half = bytes.length / 2;
        String head = "POST /runs/multipart HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + "x-api-key: " + Api.KEY + "\r\nContent-Length: " + half + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(bytes, 0, half);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts the body to /runs/multipart; returns status and response body. */
    public HttpResponse<String> send(int port, boolean gzip) {
        write("--" + BOUNDARY + "--\r\n");
        byte[] bytes = gzip ? gzip(body.toByteArray()) : body.toByteArray();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/runs/multipart"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("x-api-key", Api.KEY)
                // An input stream of unknown length makes the client stream the body in chunks.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        try {
            return HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
