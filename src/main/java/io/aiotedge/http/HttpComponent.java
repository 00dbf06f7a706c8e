package io.aiotedge.http;

import io.aiotedge.config.HttpConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Health;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /health/live}, {@code /health/ready} (200 only when every component of the node
 * runs, with each component's state in the body) and {@code /metrics} (Prometheus text). Every
 * error, including 404 and 413, is answered as {@code {"status":..,"error":..,"message":..}}.
 * Idempotent start/stop via {@link AbstractComponent}.
 */
public final class HttpComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(HttpComponent.class);
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpConfig config;
    private final BoundPorts ports;
    private final Supplier<Map<String, Health>> health;
    private final Supplier<String> metrics;
    private Javalin app;

    public HttpComponent(HttpConfig config, BoundPorts ports, Supplier<Map<String, Health>> health,
                         Supplier<String> metrics) {
        super("http");
        this.config = config;
        this.ports = ports;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxRequestBytes();
            cfg.useVirtualThreads = false;
        });
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/health/ready", ctx -> {
            Map<String, Health> h = health.get();
            boolean ready = Health.allServing(h);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "UP" : "DOWN");
            body.put("components", h);
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
        });
        app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TYPE).result(metrics.get()));
        ErrorShape.install(app);
        app.start(config.bindAddress(), config.port());
        ports.put("http", app.port());
        log.info("HTTP listening on {}:{}", config.bindAddress(), app.port());
    }

    @Override
    protected void doStop() {
        ports.remove("http");
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    /** Maps every failure to one JSON error shape. */
    static final class ErrorShape {
        private ErrorShape() {
        }

        static void install(Javalin app) {
            app.exception(HttpResponseException.class, (e, ctx) ->
                    ctx.status(e.getStatus()).json(body(e.getStatus(), e.getMessage())));
            app.exception(Exception.class, (e, ctx) -> {
                log.warn("Unhandled error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                log.debug("Original exception", e);
                ctx.status(500).json(body(500, "internal error"));
            });
        }

        static Map<String, Object> body(int status, String message) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("status", status);
            HttpStatus hs = HttpStatus.forStatus(status);
            b.put("error", hs.getMessage());
            b.put("message", message == null ? hs.getMessage() : message);
            return b;
        }
    }
}
