package io.aiotedge.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.RolloutConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs staged rollouts (shadow, canary, full): starts them, evaluates the active ones every
 * {@code rollout.checkSeconds} on the node reports ({@link RolloutJudge}), rolls a broken one back
 * (version {@code rejected}, candidate cleared, the retained message at {@code rolled-back}, an
 * alert on the model's events topic and in the platform's alert history), and takes pause, resume
 * and abort. Every clock is in the database and the time comes
 * from the injected {@link Clock}, so after a restart {@link #tick} takes the decision it would
 * have taken; on start it re-sends each model's newest rollout message. Commands and ticks are
 * serialised on the instance. Starts after the registry.
 */
public final class RolloutController extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(RolloutController.class);
    private static final Json JSON = Json.mapper();
    static final String ACTOR = "rollout-controller";
    /** Nodes that have not reported for this long do not hold a stage up. */
    private static final long STALE_NODE_MS = 10 * 60_000L;

    private final ModelRegistry registry;
    private final RolloutStore store;
    private final NodeReports reports;
    private final CanaryCounts canary;
    private final RolloutConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Consumer<JsonNode> alertHistory;
    private final RolloutView views;
    private final SecureRandom random = new SecureRandom();
    private ScheduledExecutorService timer;

    /** {@code alertHistory} stores a rollback's alert where operators acknowledge alerts (alerts.PlatformAlerts). */
    public RolloutController(ModelRegistry registry, Supplier<DataSource> db, RolloutConfig config, Clock clock,
            MeterRegistry meters, Consumer<JsonNode> alertHistory) {
        super("rollouts");
        this.registry = registry;
        this.store = new RolloutStore(db);
        this.reports = new NodeReports(db);
        this.canary = new CanaryCounts(db);
        this.config = config;
        this.clock = clock;
        this.meters = meters;
        this.alertHistory = alertHistory;
        this.views = new RolloutView(store, reports, canary, clock);
    }

    @Override
    protected void doStart() {
        for (Rollout r : store.newestPerModel()) {
            send(r);
            if (Rollout.ROLLED_BACK.equals(r.stage())) {
                // stored once (keyed by the rollout): heals a stop between the rollback and its alert
                store.events(r.id()).stream().filter(e -> Rollout.ROLLED_BACK.equals(e.to())).findFirst()
                        .ifPresent(e -> storeAlert(rollbackAlert(r, e)));
            }
        }
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("rollouts"));
        timer.scheduleWithFixedDelay(this::tickQuietly, config.checkSeconds(), config.checkSeconds(),
                TimeUnit.SECONDS);
        // retention also runs hourly, so versions that age past models.keepMinAgeHours go without a register
        timer.scheduleWithFixedDelay(() -> registry.names().forEach(registry::applyRetention), 1, 1, TimeUnit.HOURS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            timer = null;
        }
    }

    public NodeReports reports() {
        return reports;
    }

    /** The rollout defaults: whether the pipeline should stage a promotion rather than make a champion. */
    public RolloutConfig config() {
        return config;
    }

    /** What a new rollout asks for; null fields come from {@code rollout.canary.*}. */
    public record Request(int version, boolean force, List<String> devices, Double percent, List<String> nodes,
            String reason) {
    }

    public synchronized Rollout start(String name, Request req, String actor) {
        ModelVersion v = registry.get(name, req.version());
        if (ModelVersion.REJECTED.equals(v.status())) {
            throw Rejection.conflict("model " + name + " v" + v.version() + " is rejected: " + v.statusReason());
        }
        Integer champion = registry.aliases(name).get("champion");
        if (champion == null) {
            throw Rejection.conflict("model " + name + " has no champion to roll out from: promote v"
                    + v.version() + " directly");
        }
        if (champion == v.version()) {
            throw Rejection.conflict("model " + name + " v" + v.version() + " is already the champion");
        }
        String id = "ro-" + HexFormat.of().formatHex(bytes(6));
        ObjectNode targeting = targeting(req, id);
        String stage = !req.force() && config.shadowMinWindows() > 0 ? Rollout.SHADOW
                : RolloutJudge.canaryTargeted(targeting) ? Rollout.CANARY : Rollout.FULL;
        long now = clock.millis();
        // seq counts per model across rollouts (only one is active at a time), so it only grows
        Rollout r = new Rollout(id, name, v.version(), champion, stage, false, store.maxSeq(name) + 1, targeting,
                RolloutJudge.bounds(config), now, actor,
                now, null, 0, null, null, now);
        store.create(r, req.reason() == null || req.reason().isBlank() ? "started" : req.reason());
        log.info("Rollout {} of {} v{} (from v{}) started in {} by {}", id, name, v.version(), champion, stage, actor);
        if (stage.equals(Rollout.FULL)) {
            promote(r, actor, "no shadow or canary stage configured");
        } else {
            registry.setAlias(name, "candidate", v.version(), actor, "rollout " + id);
        }
        Rollout now2 = find(name, id);
        send(now2);
        return now2;
    }

    private ObjectNode targeting(Request req, String salt) {
        ObjectNode t = JSON.createObjectNode();
        t.set("devices", JSON.valueToTree(req.devices() != null ? req.devices() : config.canaryDevices()));
        double percent = req.percent() != null ? req.percent() : config.canaryPercent();
        if (percent < 0 || percent > 100) {
            throw Rejection.invalid("percent", "must be between 0 and 100");
        }
        t.put("percent", percent);
        t.set("nodes", JSON.valueToTree(req.nodes() != null ? req.nodes() : config.canaryNodes()));
        t.put("salt", salt);
        return t;
    }

    /** Evaluates every active, unpaused rollout once. */
    public synchronized void tick() {
        long now = clock.millis();
        for (Rollout r : store.active()) {
            if (r.paused()) {
                continue;
            }
            List<NodeReports.Serving> nodes = reports.serving(r.name()).stream()
                    .filter(s -> s.updatedAt() >= now - STALE_NODE_MS).toList();
            RolloutJudge.Decision d = switch (r.stage()) {
                case Rollout.SHADOW -> RolloutJudge.shadow(r, reports.sums(r.id(), null));
                case Rollout.CANARY -> RolloutJudge.canary(r, canary.sinceCanaryStart(r.id(), r.version()), nodes,
                        now);
                default -> RolloutJudge.full(r, nodes);
            };
            if (d.to() != null) {
                decide(r, d, now);
            }
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Evaluating rollouts failed (next check in {} s): {}", config.checkSeconds(), e.toString());
        }
    }

    private void decide(Rollout r, RolloutJudge.Decision d, long now) {
        if (Rollout.CANARY.equals(d.to())) {
            canary.markCanaryStart(r.id()); // before the stage changes: a stop in between marks it again
        }
        if (!store.transition(r.id(), r.stage(), d.to(), new Rollout.Event(now, ACTOR, r.stage(), d.to(), d.reason(),
                d.evidence()))) {
            return;
        }
        log.info("Rollout {} of {} v{}: {} -> {} ({})", r.id(), r.name(), r.version(), r.stage(), d.to(), d.reason());
        switch (d.to()) {
            case Rollout.ROLLED_BACK -> rollBack(r, d, now);
            case Rollout.FULL -> promote(r, ACTOR, d.reason());
            case Rollout.COMPLETED -> ended("completed");
            default -> {
            }
        }
        send(find(r.name(), r.id()));
    }

    /** The rollback alert, with the version's lineage id while retention has not deleted the version. */
    private ObjectNode rollbackAlert(Rollout r, Rollout.Event e) {
        ObjectNode alert = RolloutMessages.rolledBack(r, e);
        try {
            alert.put("lineageId", registry.get(r.name(), r.version()).lineageId());
        } catch (RuntimeException gone) {
            log.debug("No lineage for the rollback alert of {}: {}", r.id(), gone.getMessage());
        }
        return alert;
    }

    private void promote(Rollout r, String actor, String reason) {
        registry.setAlias(r.name(), "champion", r.version(), actor, "rollout " + r.id() + ": " + reason);
    }

    private void rollBack(Rollout r, RolloutJudge.Decision d, long now) {
        registry.reject(r.name(), r.version(), d.reason(), ACTOR);
        registry.clearCandidate(r.name(), r.version(), ACTOR, "rollout " + r.id() + " rolled back: " + d.reason());
        ObjectNode alert = rollbackAlert(r, new Rollout.Event(now, ACTOR, r.stage(), Rollout.ROLLED_BACK, d.reason(),
                d.evidence()));
        registry.rolloutMessages().event(r.name(), alert);
        storeAlert(alert);
        log.warn("Rollout {} of {} v{} rolled back: {}", r.id(), r.name(), r.version(), d.reason());
        ended("rolled-back");
    }

    private void storeAlert(JsonNode alert) {
        try {
            alertHistory.accept(alert);
        } catch (RuntimeException e) { // offered again at the next start
            log.warn("Storing the rollback alert of {} failed: {}", alert.path("rolloutId").asText(), e.toString());
        }
    }

    private void ended(String result) {
        Counter.builder("aiot_models_rollouts_total").description("Rollouts ended, by result").tag("result", result)
                .register(meters).increment();
    }

    public synchronized Rollout pause(String name, String id, String actor) {
        Rollout r = find(name, id);
        if (!store.pause(id, new Rollout.Event(clock.millis(), actor, r.stage(), r.stage(), "paused", JSON
                .createObjectNode()))) {
            throw Rejection.conflict("rollout " + id + " is " + (r.paused() ? "already paused" : r.stage()));
        }
        return find(name, id);
    }

    public synchronized Rollout resume(String name, String id, String actor) {
        Rollout r = find(name, id);
        if (!store.resume(id, new Rollout.Event(clock.millis(), actor, r.stage(), r.stage(), "resumed", JSON
                .createObjectNode()))) {
            throw Rejection.conflict("rollout " + id + " is not paused");
        }
        return find(name, id);
    }

    /** Ends a rollout by hand: the candidate is dropped everywhere (a version already champion stays). */
    public synchronized Rollout abort(String name, String id, String actor, String reason) {
        Rollout r = find(name, id);
        String why = reason == null || reason.isBlank() ? "aborted" : reason;
        if (r.isFinal() || !store.transition(id, r.stage(), Rollout.ABORTED, new Rollout.Event(clock.millis(), actor,
                r.stage(), Rollout.ABORTED, why, JSON.createObjectNode()))) {
            throw Rejection.conflict("rollout " + id + " has ended (" + r.stage() + ")");
        }
        registry.clearCandidate(name, r.version(), actor, "rollout " + id + " aborted: " + why);
        ended("aborted");
        Rollout out = find(name, id);
        send(out);
        return out;
    }

    public Rollout find(String name, String id) {
        return store.find(id).filter(r -> r.name().equals(name))
                .orElseThrow(() -> Rejection.notFound("rollout " + id + " of model " + name));
    }

    public List<Rollout> list(String name) {
        return store.list(name);
    }

    /** The API's view: the rollout, its clocks, evidence, per-version counts and history ({@link RolloutView}). */
    public ObjectNode view(Rollout r) {
        return views.of(r);
    }

    private void send(Rollout r) {
        try {
            registry.rolloutMessages().send(r, registry.get(r.name(), r.version())).whenComplete((x, e) -> {
                if (e != null) {
                    log.warn("Sending the rollout message of {} ({}) failed: {}", r.id(), r.name(), e.toString());
                }
            });
        } catch (RuntimeException e) { // the version may have been deleted since a final rollout
            log.warn("Cannot send the rollout message of {} ({}): {}", r.id(), r.name(), e.getMessage());
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
