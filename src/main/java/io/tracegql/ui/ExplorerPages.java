package io.tracegql.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.ext.web.Router;
import org.jboss.logging.Logger;

/**
 * The trace explorer: static ES modules under META-INF/resources/ui, served by Quarkus like any
 * static resource (and kept in native images with them). Share links ({@code /public/<token>/r},
 * see security/ShareLinks) open the explorer's page, which reads the token from its own address.
 */
@ApplicationScoped
public class ExplorerPages {

    private static final Logger LOG = Logger.getLogger(ExplorerPages.class);
    static final String PATH = "/ui/";
    private static final String PAGE = PATH + "index.html";

    private final ValueRegistry values;

    public ExplorerPages(ValueRegistry values) {
        this.values = values;
    }

    void routes(@Observes Router router) {
        router.get("/public/:token/r").handler(rc -> rc.reroute(PAGE));
        // A route of "/ui" also matches "/ui/": only the address without the slash is sent to it.
        router.get("/ui").handler(rc -> {
            if (rc.request().path().equals("/ui")) {
                rc.redirect(PATH);
            } else {
                rc.next();
            }
        });
    }

    /** Says where the explorer is once the server listens (on its actual port, random in tests). */
    void announce(@ObservesAsync HttpServerStart start) {
        LOG.infof("Trace explorer: %s%s", baseUri(start), PATH);
    }

    /**
     * The server's address: its actual port once the registry has it (random in tests), else the
     * configured one; a server on every interface is shown as localhost.
     */
    private String baseUri(HttpServerStart start) {
        try {
            var server = values.get(HttpServer.HTTP_SERVER);
            if (server != null) {
                return server.getLocalBaseUri().toString().replaceAll("/+$", "");
            }
        } catch (RuntimeException notYetKnown) {
            // the registry is filled as the server starts; this observer may run before
        }
        String host = start.options().getHost();
        return "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":"
                + start.options().getPort();
    }
}
