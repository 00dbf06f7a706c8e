package io.aiotedge.api;

import io.aiotedge.core.Rejection;
import io.aiotedge.devices.DeviceAuthenticator;
import io.aiotedge.http.HttpModule;
import io.aiotedge.inference.ConditionTracker.Band;
import io.aiotedge.inference.ConditionWindows;
import io.aiotedge.inference.ConditionWindows.DeviceCondition;
import io.aiotedge.inference.InferenceComponent;
import io.aiotedge.inference.LoadedModel;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/conditions}: what the inference role on this node sees, per device: band and
 * since when, last score, and the aggregate of the current and last window
 * ({@code inference.statsWindowSeconds}). The list takes the admin token and filters by
 * {@code band}; one device also answers its own device token.
 */
public final class ConditionsApi implements HttpModule {
    private final InferenceComponent inference;
    private final ApiAuth auth;

    /**
     * @param adminToken the admin token (null while unknown: admin calls are refused)
     * @param devices null on a node without the device registry
     */
    public ConditionsApi(InferenceComponent inference, Supplier<String> adminToken, DeviceAuthenticator devices) {
        this(inference, adminToken, devices, null);
    }

    /** @param sessions the platform's console sessions on this node, or null without the platform role */
    public ConditionsApi(InferenceComponent inference, Supplier<String> adminToken, DeviceAuthenticator devices,
            Sessions sessions) {
        this.inference = inference;
        this.auth = new ApiAuth(adminToken, devices, null,
                new io.aiotedge.core.auth.AuthFailureLimiter(10, 6, 100_000, System::nanoTime), sessions);
    }

    @Override
    public void install(Javalin app) {
        app.get("/api/v1/conditions", ctx -> {
            auth.reader(ctx);
            Band only = band(ctx.queryParam("band"));
            ConditionWindows w = inference.windows();
            List<DeviceCondition> devices = w.all().stream().filter(d -> only == null || d.band() == only).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("windowSeconds", w.windowMillis() / 1000);
            body.put("model", model());
            body.put("census", inference.conditions().census());
            body.put("devices", devices);
            ctx.json(body);
        });
        app.get("/api/v1/conditions/{deviceId}", ctx -> {
            String id = ctx.pathParam("deviceId");
            auth.adminOrDevice(ctx, id);
            ctx.json(inference.windows().device(id)
                    .orElseThrow(() -> Rejection.notFound("no scored window from device " + id + " on this node")));
        });
    }

    private Map<String, Object> model() {
        LoadedModel m = inference.model();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m == null ? null : m.name());
        out.put("version", m == null ? 0 : m.version());
        return out;
    }

    private static Band band(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Band.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("band", "must be OK, WARNING or FAILURE, got '" + s + "'");
        }
    }
}
