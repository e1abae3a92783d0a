package io.tracegql.ingest;

import java.io.IOException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.tracegql.security.RequestBodies;

/**
 * Reads the body of every REST request within {@link RequestBodies#MAX_BYTES}: as sent, and once
 * inflated when it comes with {@code Content-Encoding: gzip} (or deflate), since the HTTP layer does
 * not decompress. Counting here, before the HTTP layer's own limit, answers a body sent without a
 * length (chunked) that grows over it with the JSON error, not the HTTP layer's empty 413.
 */
@Provider
public class BoundedBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        String encoding = context.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        if (RequestBodies.isEncoded(encoding)) {
            context.setInputStream(RequestBodies.inflating(context.getInputStream(), encoding));
            context.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
        } else {
            context.setInputStream(RequestBodies.bounded(context.getInputStream()));
        }
        return context.proceed();
    }
}
