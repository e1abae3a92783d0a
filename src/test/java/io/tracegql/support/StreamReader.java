package io.tracegql.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.restassured.RestAssured;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client of a streamed response (such as {@code GET /runs/export}) that reads it one line at a time,
 * only when asked, so that a test can be a slow reader, and that can hang up in the middle.
 */
public final class StreamReader {

    private final HttpURLConnection connection;
    private final BufferedReader in;
    private long bytes;

    /** Opens a GET of the path with the default tenant's key and expects a 200. */
    public StreamReader(String path) throws IOException {
        connection = (HttpURLConnection) URI.create("http://localhost:" + RestAssured.port + path)
                .toURL()
                .openConnection();
        connection.setRequestProperty("x-api-key", Api.KEY);
        assertEquals(200, connection.getResponseCode());
        in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line, without its newline; null at the end of the response. */
    public String next() throws IOException {
        String line = in.readLine();
        if (line != null) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return line;
    }

    /** Bytes read so far. */
    public long bytes() {
        return bytes;
    }

    /** Closes the connection, whatever is left of the response. */
    public void hangUp() {
        connection.disconnect();
    }
}
