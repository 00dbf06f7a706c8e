package io.aiotedge.api;

import io.aiotedge.core.Health;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/node} (viewer): the components' health as on {@code /health/ready} and the
 * meters the console's Node view shows, read from the same registry {@code /metrics} scrapes (no
 * second bookkeeping). A meter this node does not have is null.
 */
final class NodeApi {
    private final MeterRegistry meters;
    private final Supplier<Map<String, Health>> health;
    private final List<String> roles;
    private final long startedAt;
    private final ApiAuth auth;

    NodeApi(MeterRegistry meters, Supplier<Map<String, Health>> health, List<String> roles, long startedAt,
            ApiAuth auth) {
        this.meters = meters;
        this.health = health;
        this.roles = List.copyOf(roles);
        this.startedAt = startedAt;
        this.auth = auth;
    }

    void install(Javalin app) {
        app.get("/api/v1/node", ctx -> {
            auth.reader(ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.json(view(System.currentTimeMillis()));
        });
    }

    Map<String, Object> view(long now) {
        Map<String, Health> h = health.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ready", Health.allServing(h));
        out.put("roles", roles);
        String v = NodeApi.class.getPackage().getImplementationVersion();
        out.put("version", v == null ? "dev" : v);
        out.put("startedAt", startedAt);
        out.put("uptimeSeconds", (now - startedAt) / 1000);
        List<Map<String, Object>> components = new ArrayList<>();
        h.forEach((name, c) -> components.add(Map.of("name", name, "status", c.status().name(), "detail",
                c.detail())));
        out.put("components", components);
        out.put("broker", group("connections", sum("aiot_mqtt_connections", null, null),
                "messagesDropped", sum("aiot_mqtt_messages_dropped", null, null),
                "authOk", sum("aiot_mqtt_auth_total", "result", "success"),
                "authFailed", failedAuth()));
        out.put("bridge", group("spoolBytes", sum("aiot_bridge_spool_bytes", null, null),
                "spoolRecords", sum("aiot_bridge_spool_records", null, null),
                "spooling", spooling(), "dropped", sum("aiot_bridge_dropped_total", null, null)));
        out.put("lag", group("ingest", sum("aiot_ingest_consumer_lag", null, null),
                "inference", sum("aiot_inference_consumer_lag", null, null)));
        out.put("datastore", group("rows", sum("aiot_datastore_rows", null, null),
                "storedTotal", sum("aiot_ingest_rows_stored_total", null, null)));
        out.put("inference", group("OK", sum("aiot_inference_devices", "band", "OK"),
                "WARNING", sum("aiot_inference_devices", "band", "WARNING"),
                "FAILURE", sum("aiot_inference_devices", "band", "FAILURE")));
        out.put("pipeline", group("runs", sum("aiot_pipeline_runs_total", null, null)));
        out.put("jvm", group("heapUsedBytes", sum("jvm.memory.used", "area", "heap"),
                "heapMaxBytes", sum("jvm.memory.max", "area", "heap")));
        out.put("console", group("streams", sum("aiot_console_streams", null, null),
                "events", sum("aiot_console_sse_events_total", null, null),
                "dropped", sum("aiot_console_sse_dropped_total", null, null)));
        return out;
    }

    private static Map<String, Object> group(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    private Boolean spooling() {
        Long s = sum("aiot_bridge_spooling", null, null);
        return s == null ? null : s > 0;
    }

    private Long failedAuth() {
        Long all = sum("aiot_mqtt_auth_total", null, null);
        Long ok = sum("aiot_mqtt_auth_total", "result", "success");
        return all == null ? null : all - (ok == null ? 0 : ok);
    }

    /** The sum over every meter of that name (and tag), as a whole number; null when there is none. */
    private Long sum(String name, String tag, String value) {
        Search s = meters.find(name);
        if (tag != null) {
            s = s.tag(tag, value);
        }
        double total = 0;
        boolean found = false;
        for (Meter m : s.meters()) {
            double v = value(m);
            if (!Double.isNaN(v)) {
                total += v;
                found = true;
            }
        }
        return found ? Math.round(total) : null;
    }

    private static double value(Meter m) {
        if (m instanceof Counter c) {
            return c.count();
        }
        if (m instanceof Gauge g) {
            return g.value();
        }
        if (m instanceof io.micrometer.core.instrument.FunctionCounter f) {
            return f.count();
        }
        return Double.NaN;
    }
}
