package io.aiotedge.http;

import io.aiotedge.config.HttpConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Health;
import io.aiotedge.core.Listener;
import io.aiotedge.core.Rejection;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /health/live}, {@code /health/ready} (200 only when every component of the node
 * runs, with each component's state in the body) and {@code /metrics} (Prometheus text). Every
 * error, including 404, 413 and Jetty's own 400s ({@link JsonErrorHandler}), is answered as
 * {@code {"status":..,"error":..,"message":..}}.
 * Idempotent start/stop via {@link AbstractComponent}.
 */
public final class HttpComponent extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(HttpComponent.class);
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpConfig config;
    private final BoundPorts ports;
    private final Supplier<Map<String, Health>> health;
    private final Supplier<String> metrics;
    private final List<HttpModule> modules;
    private final long maxUploadBytes;
    private Javalin app;

    /**
     * @param modules route sets (the platform API) installed before the server listens
     * @param maxUploadBytes the largest multipart file part (model uploads)
     */
    public HttpComponent(HttpConfig config, BoundPorts ports, Supplier<Map<String, Health>> health,
            Supplier<String> metrics, List<HttpModule> modules, long maxUploadBytes) {
        super("http");
        this.config = config;
        this.ports = ports;
        this.health = health;
        this.metrics = metrics;
        this.modules = List.copyOf(modules);
        this.maxUploadBytes = maxUploadBytes;
    }

    public HttpComponent(HttpConfig config, BoundPorts ports, Supplier<Map<String, Health>> health,
            Supplier<String> metrics) {
        this(config, ports, health, metrics, List.of(), 1);
    }

    @Override
    protected void doStart() {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxRequestBytes();
            cfg.useVirtualThreads = false;
            cfg.jetty.multipartConfig.maxFileSize(maxUploadBytes, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(maxUploadBytes + 1024 * 1024, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(256 * 1024, SizeUnit.BYTES);
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
            if (config.tls()) {
                cfg.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig));
            }
            modules.forEach(m -> m.configure(cfg));
        });
        modules.forEach(m -> m.install(app));
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
        if (config.tls()) {
            app.start();
        } else {
            app.start(config.bindAddress(), config.port());
        }
        int port = boundPort();
        ports.listening(new Listener("http", config.bindAddress(), port, config.tls(), Listener.NONE,
                Listener.TOKEN, true, "/health/* and /metrics need no token; the API does"));
        log.info("HTTP{} listening on {}:{}", config.tls() ? "S" : "", config.bindAddress(), port);
    }

    private ServerConnector tlsConnector(Server server, HttpConfiguration httpConfig) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(config.keystorePath().toAbsolutePath().toString());
        ssl.setKeyStorePassword(config.keystorePassword());
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector c = new ServerConnector(server, ssl, new HttpConnectionFactory(https));
        c.setHost(config.bindAddress());
        c.setPort(config.port());
        return c;
    }

    private int boundPort() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc && sc.getLocalPort() > 0) {
                return sc.getLocalPort();
            }
        }
        return app.port();
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
            app.exception(HttpResponseException.class,
                    (e, ctx) -> ctx.status(e.getStatus()).json(body(e.getStatus(), e.getMessage())));
            app.exception(Rejection.class,
                    (e, ctx) -> ctx.status(e.kind().httpStatus()).json(body(e.kind().httpStatus(), e.getMessage())));
            app.exception(IllegalStateException.class, (e, ctx) -> {
                // Jetty refuses an oversized multipart part or form field, or too many, with this
                if (isTooLarge(e.getMessage())) {
                    ctx.status(413).json(body(413, "request exceeds the upload limit: " + e.getMessage()));
                } else {
                    log.warn("Unhandled error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    ctx.status(503).json(body(503, "service not ready: " + e.getMessage()));
                }
            });
            app.exception(Exception.class, (e, ctx) -> {
                log.warn("Unhandled error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
                log.debug("Original exception", e);
                ctx.status(500).json(body(500, "internal error"));
            });
        }

        /** Jetty's words for a form or multipart body past one of its limits. */
        static boolean isTooLarge(String message) {
            String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
            return m.contains("exceeds") || m.contains("larger than max") || m.contains("too many");
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
