package io.tracegql.ui;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    void announce(@Observes HttpServerStart start) {
        String host = start.options().getHost();
        String shown = host == null || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        LOG.infof("Trace explorer: http://%s:%d%s", shown, start.options().getPort(), PATH);
    }
}
