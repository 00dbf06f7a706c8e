package io.aiotedge.api;

import io.aiotedge.config.PlatformConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.auth.AuthFailureLimiter;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.devices.NodeTokens;
import io.aiotedge.http.HttpModule;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.RolloutController;
import io.aiotedge.pipeline.LineageAudit;
import io.aiotedge.pipeline.Pipeline;
import io.aiotedge.storage.Backups;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform API as one component: its routes are installed into the HTTP server (which starts
 * first and answers 503 until this runs), and {@code start()} settles the admin token: the one
 * configured ({@code api.adminToken}), else the one generated on a first start into
 * {@code <dataDir>/keys/admin-token} (owner-only). Also serves {@code /openapi.json}.
 */
public final class PlatformApi extends AbstractComponent implements HttpModule {
    private static final Logger log = LoggerFactory.getLogger(PlatformApi.class);
    public static final String OPENAPI = "/openapi.json";

    private final PlatformConfig config;
    private final KeyFiles keys;
    private final DeviceRegistry devices;
    private final ModelRegistry models;
    private final FeatureStore datastore;
    private final Pipeline pipeline;
    private final Clock clock;
    private final NodeTokens nodes;
    private final Backups backups;
    private final ConsoleParts console;
    private final LiveStreams streams;
    private final RolloutController rollouts;
    private volatile String adminToken;

    /** @param pipeline null when {@code pipeline.enabled} is false */
    public PlatformApi(PlatformConfig config, Path dataDir, DeviceRegistry devices, ModelRegistry models,
            FeatureStore datastore, Pipeline pipeline, NodeTokens nodes, Backups backups, Clock clock) {
        this(config, dataDir, devices, models, datastore, pipeline, nodes, backups, clock, null, null);
    }

    /**
     * @param console the console's sessions, live hub and alerts; null = no console routes
     * @param rollouts the staged rollouts and node reports, or null (no such routes)
     */
    public PlatformApi(PlatformConfig config, Path dataDir, DeviceRegistry devices, ModelRegistry models,
            FeatureStore datastore, Pipeline pipeline, NodeTokens nodes, Backups backups, Clock clock,
            ConsoleParts console, RolloutController rollouts) {
        super("api");
        this.console = console;
        this.streams = console == null ? null : new LiveStreams(console.live(), console.liveConfig(),
                console.meters(), console.sessions()::alive);
        this.rollouts = rollouts;
        this.config = config;
        this.keys = new KeyFiles(dataDir);
        this.devices = devices;
        this.models = models;
        this.datastore = datastore;
        this.pipeline = pipeline;
        this.clock = clock;
        this.nodes = nodes;
        this.backups = backups;
    }

    /** The inference nodes' model-download tokens. */
    public NodeTokens nodeTokens() {
        return nodes;
    }

    @Override
    protected void doStart() throws IOException {
        settleAdminToken();
        if (streams != null) {
            streams.start();
        }
    }

    private void settleAdminToken() throws IOException {
        if (!config.adminToken().isEmpty()) {
            adminToken = config.adminToken();
            return;
        }
        Path file = keys.adminToken();
        if (!Files.exists(file)) {
            PrivateFiles.directory(keys.dir());
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("Generated the API admin token into {} (set api.adminToken to choose your own)", file);
        }
        adminToken = Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    @Override
    protected void doStop() {
        if (streams != null) {
            streams.stop();
        }
        adminToken = null;
    }

    /** The admin token while running, else null. */
    public String adminToken() {
        return adminToken;
    }

    @Override
    public void install(Javalin app) {
        ApiAuth auth = new ApiAuth(this::requireToken, devices.authenticator(), nodes, new AuthFailureLimiter(
                config.authFailureBurst(), config.authFailuresPerMinute(), 100_000, System::nanoTime),
                console == null ? null : console.sessions());
        new DevicesApi(devices, auth).install(app);
        new NodesApi(nodes, auth, rollouts == null ? null : rollouts.reports(), clock).install(app);
        if (rollouts != null) {
            new RolloutsApi(rollouts, auth).install(app);
        }
        new AdminApi(backups, auth).install(app);
        new ModelsApi(models, devices, auth, config.maxModelBytes()).install(app);
        new LineageApi(new LineageAudit(datastore, models), auth).install(app);
        new DatastoreApi(datastore, auth).install(app);
        new CompatApi(devices, models, datastore, auth, config.legacyDevices(), config.legacyModelName(), clock)
                .install(app);
        if (pipeline != null) {
            new PipelineApi(pipeline, auth).install(app);
        }
        if (console != null) {
            installConsole(app, auth);
        }
        byte[] openapi = openApi();
        app.get(OPENAPI, ctx -> ctx.contentType("application/json").result(openapi));
    }

    /** The console's routes: sessions, fleet, alerts, node, live streams. */
    private void installConsole(Javalin app, ApiAuth auth) {
        new SessionApi(auth).install(app);
        new FleetApi(devices, models, datastore, console.alerts(), console.live(), console.liveConfig(), auth, clock)
                .install(app);
        new AlertsApi(console.alerts(), models, auth).install(app);
        new NodeApi(console.meters(), console.health(), console.roles(), console.startedAt(), auth).install(app);
        app.get("/api/v1/live/fleet", ctx -> {
            auth.reader(ctx);
            requireEventStream(ctx);
            streams.open(ctx, null);
        });
        app.get("/api/v1/live/devices/{id}", ctx -> {
            auth.reader(ctx);
            requireEventStream(ctx);
            streams.open(ctx, ctx.pathParam("id"));
        });
    }

    private static void requireEventStream(io.javalin.http.Context ctx) {
        String accept = ctx.header("Accept");
        if (!"text/event-stream".equals(accept)) {
            throw io.aiotedge.core.Rejection.invalid("Accept",
                    "must be text/event-stream (a Server-Sent Events stream)");
        }
    }

    /** The open console streams (tests). */
    int openStreams() {
        return streams == null ? 0 : streams.open();
    }

    private String requireToken() {
        String t = adminToken;
        if (t == null) {
            throw new IllegalStateException("the API is not running yet");
        }
        return t;
    }

    static byte[] openApi() {
        try (InputStream in = PlatformApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("the JAR lacks openapi.json");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }
}
