package io.aiotedge.api;

import io.aiotedge.alerts.AlertStore;
import io.aiotedge.config.LiveConfig;
import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.devices.Device;
import io.aiotedge.devices.DeviceRegistry;
import io.aiotedge.devices.DeviceRollout;
import io.aiotedge.models.ModelRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/fleet}: every device the node knows (the registry joined with the live state of
 * the {@link LiveHub}: ids seen in telemetry or scores count too), filtered, searched and sorted
 * on the server, and one device with its recent points, alerts and commands (docs/platform.md,
 * "Fleet"). Viewer role. Everything comes from memory but the registry, the open-alert counts and
 * the rollout reports: one query each, so 1,000 devices answer in milliseconds.
 */
final class FleetApi {
    private static final long ONLINE_MS = 30_000;
    private static final List<String> BANDS = List.of("FAILURE", "WARNING", "OK");

    private final DeviceRegistry devices;
    private final ModelRegistry models;
    private final FeatureStore store;
    private final AlertStore alerts;
    private final LiveHub hub;
    private final LiveConfig config;
    private final ApiAuth auth;
    private final Clock clock;

    FleetApi(DeviceRegistry devices, ModelRegistry models, FeatureStore store, AlertStore alerts, LiveHub hub,
            LiveConfig config, ApiAuth auth, Clock clock) {
        this.devices = devices;
        this.models = models;
        this.store = store;
        this.alerts = alerts;
        this.hub = hub;
        this.config = config;
        this.auth = auth;
        this.clock = clock;
    }

    void install(Javalin app) {
        app.get("/api/v1/fleet", this::fleet);
        app.get("/api/v1/fleet/{id}", this::device);
    }

    private void fleet(Context ctx) {
        auth.reader(ctx);
        String band = band(ctx.queryParam("band"));
        String q = ctx.queryParam("q");
        Comparator<Map<String, Object>> order = order(ctx.queryParam("sort"));
        Map<String, Integer> open = alerts.openCounts();
        Map<String, DeviceRollout> rollouts = rollouts();
        long now = clock.millis();
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Device d : devices.list(10_000, 0)) {
            rows.put(d.id(), row(d, hub.get(d.id()), open, rollouts, now, false));
        }
        for (LiveHub.DeviceLive l : hub.all()) {
            rows.computeIfAbsent(l.id, id -> row(null, l, open, rollouts, now, false));
        }
        Map<String, Integer> census = new LinkedHashMap<>();
        for (String b : List.of("OK", "WARNING", "FAILURE", "UNKNOWN")) {
            census.put(b, 0);
        }
        rows.values().forEach(r -> census.merge(r.get("band") == null ? "UNKNOWN" : (String) r.get("band"), 1,
                Integer::sum));
        List<Map<String, Object>> out = rows.values().stream()
                .filter(r -> band == null || band.equals(r.get("band") == null ? "UNKNOWN" : r.get("band")))
                .filter(r -> q == null || q.isBlank()
                        || ((String) r.get("id")).toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                .sorted(order).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generatedAt", now);
        body.put("census", census);
        body.put("devices", out);
        ctx.json(body);
    }

    private void device(Context ctx) {
        auth.reader(ctx);
        String id = ctx.pathParam("id");
        Optional<Device> registered = id.length() > 128 ? Optional.empty() : devices.find(id);
        LiveHub.DeviceLive live = hub.get(id);
        if (registered.isEmpty() && live == null) {
            throw Rejection.notFound("device " + id + " (neither registered nor seen)");
        }
        long now = clock.millis();
        Map<String, Object> row = row(registered.orElse(null), live, Map.of(id, alerts.list(id, null, false, null,
                500).alerts().size()), rollouts(), now, true);
        row.put("id", id);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device", row);
        body.put("features", features(id, live));
        List<List<Object>> scores = List.of();
        if (live != null) {
            synchronized (live) {
                scores = LiveHub.scoresAfter(live, 0);
            }
        }
        body.put("scores", scores);
        body.put("alerts", alerts.list(id, null, null, null, 20).alerts());
        body.put("commands", alerts.commands(id, 20));
        ctx.json(body);
    }

    /** The newest {@code console.devicePoints} rows: the datastore's, then the hub's newer ones (or the hub's alone). */
    private Map<String, Object> features(String id, LiveHub.DeviceLive live) {
        List<FeatureRow> stored = store.latest(id, config.devicePoints());
        Map<String, Object> out = new LinkedHashMap<>();
        if (!stored.isEmpty()) {
            List<String> names = stored.get(stored.size() - 1).names();
            List<List<Object>> rows = new ArrayList<>();
            for (FeatureRow r : stored) {
                if (r.names().equals(names)) {
                    List<Object> row = new ArrayList<>(names.size() + 1);
                    row.add(r.timestamp());
                    for (double v : r.values()) {
                        row.add(LiveHub.round((float) v));
                    }
                    rows.add(row);
                }
            }
            appendNewerLive(live, names, rows);
            out.put("names", names);
            out.put("rows", rows);
        } else if (live != null) {
            synchronized (live) {
                out.put("names", live.names);
                out.put("rows", LiveHub.rowsAfter(live, 0));
            }
        } else {
            out.put("names", List.of());
            out.put("rows", List.of());
        }
        return out;
    }

    /**
     * The datastore trails the hub by the ingest's batch: rows the hub has seen after the newest stored one are
     * appended, so a device view never shows fewer points than the live stream already sent.
     */
    private void appendNewerLive(LiveHub.DeviceLive live, List<String> names, List<List<Object>> rows) {
        if (live == null) {
            return;
        }
        long newest = rows.isEmpty() ? Long.MIN_VALUE : ((Number) rows.get(rows.size() - 1).get(0)).longValue();
        synchronized (live) {
            if (!live.names.equals(names)) {
                return;
            }
            for (List<Object> r : LiveHub.rowsAfter(live, 0)) {
                if (((Number) r.get(0)).longValue() > newest) {
                    rows.add(r);
                }
            }
        }
        while (rows.size() > config.devicePoints()) {
            rows.remove(0);
        }
    }

    private static Map<String, Object> row(Device d, LiveHub.DeviceLive l, Map<String, Integer> open,
            Map<String, DeviceRollout> rollouts, long now, boolean detail) {
        Map<String, Object> r = new LinkedHashMap<>();
        String id = d != null ? d.id() : l.id;
        r.put("id", id);
        r.put("registered", d != null);
        r.put("type", d == null ? null : d.type());
        r.put("state", d == null ? null : d.state().name());
        if (detail) {
            r.put("metadata", d == null ? null : d.metadata());
            r.put("createdAt", d == null ? null : d.createdAt());
            r.put("activatedAt", d == null ? null : d.activatedAt());
            r.put("revokedAt", d == null ? null : d.revokedAt());
        }
        r.put("online", d != null && d.online());
        r.put("lastSeen", d == null ? null : d.lastSeen());
        r.put("firmwareVersion", d == null ? null : d.firmwareVersion());
        r.put("modelVersion", d == null ? null : version(d.modelVersion()));
        r.put("band", null);
        r.put("bandSince", null);
        r.put("score", null);
        r.put("sparkline", List.of());
        if (l != null) {
            synchronized (l) {
                Long registryLastSeen = (Long) r.get("lastSeen");
                LiveHub.putLive(l, r);
                if (registryLastSeen != null && (l.lastSeen == 0 || registryLastSeen > l.lastSeen)) {
                    r.put("lastSeen", registryLastSeen);
                }
                r.put("online", (Boolean) r.get("online") || l.lastSeen > 0 && now - l.lastSeen < ONLINE_MS);
                r.put("sparkline", LiveHub.sparkline(l));
            }
        }
        DeviceRollout ro = rollouts.get(id);
        r.put("rollout", ro == null ? null : Map.of("model", ro.modelName(), "version", ro.version(), "state",
                ro.state(), "detail", ro.detail() == null ? "" : ro.detail()));
        r.put("openAlerts", open.getOrDefault(id, 0));
        return r;
    }

    /** The newest rollout report per device, over every model. */
    private Map<String, DeviceRollout> rollouts() {
        Map<String, DeviceRollout> out = new HashMap<>();
        for (String name : models.names()) {
            for (DeviceRollout r : devices.rollouts(name, null)) {
                out.merge(r.deviceId(), r, (a, b) -> a.updatedAt() >= b.updatedAt() ? a : b);
            }
        }
        return out;
    }

    /** A status report's {@code model} ("name:3" or "3") as a number, else null. */
    static Integer version(String reported) {
        if (reported == null) {
            return null;
        }
        String v = reported.substring(reported.lastIndexOf(':') + 1).trim();
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String band(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String b = s.toUpperCase(Locale.ROOT);
        if (!BANDS.contains(b) && !b.equals("UNKNOWN")) {
            throw Rejection.invalid("band", "must be OK, WARNING, FAILURE or UNKNOWN, got '" + s + "'");
        }
        return b;
    }

    private static Comparator<Map<String, Object>> order(String sort) {
        Comparator<Map<String, Object>> byId = Comparator.comparing(r -> (String) r.get("id"));
        String s = sort == null || sort.isBlank() ? "id" : sort;
        return switch (s) {
            case "id" -> byId;
            case "band" -> Comparator.<Map<String, Object>>comparingInt(r -> {
                Object b = r.get("band");
                return b == null ? BANDS.size() : BANDS.indexOf(b);
            }).thenComparing(byId);
            case "score" -> Comparator.<Map<String, Object>>comparingDouble(
                    r -> r.get("score") == null ? Double.POSITIVE_INFINITY : -(Double) r.get("score"))
                    .thenComparing(byId);
            case "lastSeen" -> Comparator.<Map<String, Object>>comparingLong(
                    r -> r.get("lastSeen") == null ? Long.MAX_VALUE : -((Number) r.get("lastSeen")).longValue())
                    .thenComparing(byId);
            default -> throw Rejection.invalid("sort", "must be id, band, score or lastSeen, got '" + sort + "'");
        };
    }
}
