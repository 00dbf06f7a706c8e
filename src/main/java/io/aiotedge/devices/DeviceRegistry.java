package io.aiotedge.devices;

import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.DeviceDirectory;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.Rejection;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.core.mqtt.ClientSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions, activates and revokes devices, and records what the broker reports about them.
 * Broker events are written by one background thread from a bounded queue (status is soft
 * state: when the queue is full an event is counted and dropped, never blocking the broker).
 * Thread-safe.
 */
public final class DeviceRegistry extends AbstractComponent implements ClientEvents, DeviceDirectory {
    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);
    private static final int SECRET_BYTES = 24;
    public static final int MAX_METADATA_ENTRIES = 64;

    private final DeviceStore store;
    private final DeviceAuthenticator authenticator;
    private final LegacyDeviceAuthenticator legacy;
    private final Supplier<ClientSessions> sessions;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Counter eventsDropped;
    private final Counter statusInvalid;
    private final Counter revocations;
    private volatile ThreadPoolExecutor writer;

    /**
     * @param sessions the broker's live connections, to drop a revoked device (the broker is built
     *     after the registry, whose authenticator it needs)
     */
    public DeviceRegistry(Supplier<DataSource> db, Supplier<ClientSessions> sessions, PasswordHasher hasher,
            Clock clock, MeterRegistry meters) {
        super("devices");
        this.store = new DeviceStore(db);
        this.authenticator = new DeviceAuthenticator(store, hasher.hash(randomSecret().toCharArray()));
        this.legacy = new LegacyDeviceAuthenticator(store);
        this.sessions = sessions;
        this.hasher = hasher;
        this.clock = clock;
        this.eventsDropped = Counter.builder("aiot_devices_events_dropped_total")
                .description("Broker events about devices dropped because the registry's queue was full")
                .register(meters);
        this.statusInvalid = Counter.builder("aiot_devices_status_invalid_total")
                .description("Status reports refused as malformed").register(meters);
        this.revocations = Counter.builder("aiot_devices_revoked_total").description("Devices revoked")
                .register(meters);
        Gauge.builder("aiot_devices_registered", this, r -> r.isRunning() ? r.store.count() : Double.NaN)
                .description("Provisioned or active devices").register(meters);
    }

    @Override
    protected void doStart() {
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
                NamedThreads.daemon("devices-status"));
    }

    @Override
    protected void doStop() throws InterruptedException {
        ThreadPoolExecutor w = writer;
        writer = null;
        if (w != null) {
            w.shutdown();
            w.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private boolean isRunning() {
        return writer != null;
    }

    public DeviceAuthenticator authenticator() {
        return authenticator;
    }

    public LegacyDeviceAuthenticator legacyAuthenticator() {
        return legacy;
    }

    /** A device with a secret (the API's way): it never logs in without its credentials. */
    public Provisioned provision(String id, String type, Map<String, Object> metadata) {
        return provision(id, type, metadata, DeviceStore.VIA_API, null);
    }

    /**
     * A reference-firmware device ({@code /provisionDevice}): it also gets a secret, and with
     * {@code compat.legacyDevices} may log in by client id alone once activated, either by an admin
     * ({@link #activate}) or by presenting the returned one-time activation code.
     */
    public Provisioned provisionCompat(String id, String type, Map<String, Object> metadata) {
        String code = randomSecret();
        Provisioned p = provision(id, type, metadata, DeviceStore.VIA_COMPAT, sha256Hex(code));
        return new Provisioned(p.device(), p.secret(), p.token(), code);
    }

    private Provisioned provision(String id, String type, Map<String, Object> metadata, String via, String codeHash) {
        DeviceIdRule.require("id", id);
        String t = type == null || type.isBlank() ? "sensor" : type;
        if (t.length() > 64) {
            throw Rejection.invalid("type", "must be at most 64 characters");
        }
        Map<String, Object> md = metadata == null ? Map.of() : metadata;
        if (md.size() > MAX_METADATA_ENTRIES) {
            throw Rejection.invalid("metadata", "must have at most " + MAX_METADATA_ENTRIES + " entries");
        }
        String secret = randomSecret();
        char[] chars = secret.toCharArray();
        String hash;
        try {
            hash = hasher.hash(chars);
        } finally {
            PasswordHasher.clear(chars);
        }
        if (!store.insert(id, t, md, hash, clock.millis(), via, codeHash)) {
            throw Rejection
                    .conflict("device " + id + " is already provisioned (revoke it first to re-issue credentials)");
        }
        authenticator.forget(id);
        log.info("Provisioned device {} ({})", id, t);
        return new Provisioned(get(id), secret, id + "." + secret, null);
    }

    private String randomSecret() {
        byte[] raw = new byte[SECRET_BYTES];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The device confirms it holds its credentials. */
    public Device activate(String id) {
        Device d = get(id);
        if (d.state() == Device.State.REVOKED) {
            throw Rejection.forbidden("device " + id + " is revoked");
        }
        store.activate(id, clock.millis());
        return get(id);
    }

    /**
     * The reference firmware's {@code /confirmActivation}: true when the id was provisioned through
     * {@code /provisionDevice} and is active (an admin activated it), or is provisioned and
     * {@code code} is its one-time activation code (which activates it and is used up); false for
     * anything else, including an API-provisioned device. Never throws for an unknown id.
     */
    public boolean confirmLegacy(String id, String code) {
        if (!DeviceIdRule.valid(id)) {
            return false;
        }
        Optional<DeviceStore.Credentials> c = store.credentials(id);
        if (c.isEmpty() || !c.get().compat() || c.get().state() == Device.State.REVOKED) {
            return false;
        }
        if (c.get().state() == Device.State.ACTIVE) {
            return true;
        }
        return code != null && !code.isBlank() && store.activateWithCode(id, sha256Hex(code.trim()), clock.millis());
    }

    /** Refuses the device's credentials from now on and drops its live connections. */
    public Device revoke(String id) {
        get(id);
        boolean changed = store.revoke(id, clock.millis());
        authenticator.forget(id);
        if (changed) {
            revocations.increment();
            ClientSessions s = sessions.get();
            if (s != null) {
                s.disconnectPrincipal(id).whenComplete((n, e) -> log.info("Revoked device {}: {} connection(s) dropped",
                        id, e == null ? n : "unknown (" + e.getMessage() + ")"));
            }
        }
        return get(id);
    }

    public Device get(String id) {
        if (!DeviceIdRule.valid(id)) {
            throw Rejection.notFound("device " + id);
        }
        return store.find(id).orElseThrow(() -> Rejection.notFound("device " + id));
    }

    public Optional<Device> find(String id) {
        return DeviceIdRule.valid(id) ? store.find(id) : Optional.empty();
    }

    /** Registered and not revoked (provisioned or active); read from the database each time. */
    @Override
    public boolean isActive(String deviceId) {
        return find(deviceId).map(d -> d.state() != Device.State.REVOKED).orElse(false);
    }

    public List<Device> list(int limit, int offset) {
        return store.list(limit, offset);
    }

    /** What devices report about one model (all versions when {@code version} is null). */
    public List<DeviceRollout> rollouts(String modelName, Integer version) {
        return store.rollouts(modelName, version);
    }

    @Override
    public void connected(Principal principal, String clientId) {
        if (principal.role().isDevice()) {
            submit(() -> store.seen(principal.name(), true, clock.millis()));
        }
    }

    @Override
    public void disconnected(Principal principal, String clientId) {
        if (principal.role().isDevice()) {
            submit(() -> store.seen(principal.name(), false, clock.millis()));
        }
    }

    @Override
    public void status(Principal principal, String clientId, byte[] payload) {
        if (principal.role() != Role.DEVICE) {
            return;
        }
        submit(() -> record(principal.name(), payload));
    }

    /** Applies one status report; public for the HTTP status endpoint and tests. */
    public void record(String deviceId, byte[] payload) {
        StatusReport r;
        try {
            r = StatusReport.parse(payload);
        } catch (Rejection e) {
            statusInvalid.increment();
            log.debug("Refused status of {}: {}", deviceId, e.getMessage());
            throw e;
        }
        long now = clock.millis();
        store.reported(deviceId, r.firmware(), r.model(), now);
        if (r.rollout() != null) {
            store.rollout(new DeviceRollout(deviceId, r.rollout().model(), r.rollout().version(),
                    r.rollout().state(), r.rollout().detail(), now));
        }
    }

    private void submit(Runnable task) {
        ThreadPoolExecutor w = writer;
        if (w == null) {
            eventsDropped.increment();
            return;
        }
        try {
            w.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.debug("Device event not recorded: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            eventsDropped.increment();
        }
    }
}
