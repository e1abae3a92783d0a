package io.tracegql.ingest;

import java.io.IOException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.tracegql.security.RequestBodies;

/**
 * Inflates the body of every REST request sent with {@code Content-Encoding: gzip} (or deflate)
 * before it is read, within {@link RequestBodies#MAX_BYTES}: the HTTP layer does not decompress.
 */
@Provider
public class CompressedBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException, WebApplicationException {
        String encoding = context.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        if (RequestBodies.isEncoded(encoding)) {
            context.setInputStream(RequestBodies.inflating(context.getInputStream(), encoding));
            context.getHeaders().remove(HttpHeaders.CONTENT_ENCODING);
        }
        return context.proceed();
    }
}
