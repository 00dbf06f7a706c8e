package io.aiotedge.api;

import io.aiotedge.alerts.Alert;
import io.aiotedge.config.LiveConfig;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.wire.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's Server-Sent Events streams. A 1 s ticker turns what changed in the
 * {@link LiveHub} into one {@code fleet} event (and {@code alert} events) for the fleet streams
 * and a {@code points} event per device stream, and offers each to the client's own bounded
 * queue ({@link LiveStream}); the producers never touch a socket. Each stream has one writer
 * thread, so a stuck client blocks only itself (until the HTTP idle timeout fails its write and
 * it is removed); at most {@code console.maxStreams} are open. Thread-safe.
 */
final class LiveStreams {
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    private static final Json JSON = Json.mapper();
    private static final long KEEP_ALIVE_MS = 15_000;

    private final LiveHub hub;
    private final LiveConfig config;
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    /** Slots taken, counted before a stream is attached, so parallel opens cannot pass the cap together. */
    private final java.util.concurrent.atomic.AtomicInteger slots = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.function.Predicate<String> sessionAlive;
    private final ThreadFactory writers = NamedThreads.daemon("console-sse");
    private final Counter events;
    private final Counter dropped;
    private volatile ScheduledExecutorService ticker;
    private volatile boolean running;
    private long mark;
    private long lastKeepAlive;

    LiveStreams(LiveHub hub, LiveConfig config, MeterRegistry meters) {
        this(hub, config, meters, cookie -> true);
    }

    /** @param sessionAlive whether a session cookie still signs someone in; a stream it opened ends with it */
    LiveStreams(LiveHub hub, LiveConfig config, MeterRegistry meters,
            java.util.function.Predicate<String> sessionAlive) {
        this.sessionAlive = sessionAlive;
        this.hub = hub;
        this.config = config;
        this.events = Counter.builder("aiot_console_sse_events_total").description("Console stream events sent")
                .register(meters);
        this.dropped = Counter.builder("aiot_console_sse_dropped_total")
                .description("Console stream events dropped because the client's queue was full").register(meters);
        Gauge.builder("aiot_console_streams", streams, Set::size).description("Open console streams")
                .register(meters);
    }

    void start() {
        start(true);
    }

    /** @param tick false: no ticker thread (a test calls {@link #tick} itself) */
    void start(boolean tick) {
        mark = hub.now();
        lastKeepAlive = System.currentTimeMillis();
        running = true;
        if (!tick) {
            return;
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("console-tick"));
        t.scheduleWithFixedDelay(this::tickSafely, 1, 1, TimeUnit.SECONDS);
        ticker = t;
    }

    void stop() {
        running = false;
        ScheduledExecutorService t = ticker;
        ticker = null;
        if (t != null) {
            t.shutdownNow();
        }
        for (LiveStream s : List.copyOf(streams)) {
            s.close();
        }
    }

    int open() {
        return streams.size();
    }

    /** The open streams (tests). */
    List<LiveStream> streamsForTest() {
        return List.copyOf(streams);
    }

    /** Opens a stream for the fleet ({@code deviceId} null) or one device; 503 when full or stopped. */
    void open(Context ctx, String deviceId) throws Exception {
        if (!running) {
            throw new HttpResponseException(503, "the live streams are not running");
        }
        if (!"text/event-stream".equals(ctx.header("Accept"))) {
            // Javalin's SseHandler answers nothing else, and would leave an empty 200
            throw new HttpResponseException(406, "a live stream needs the header Accept: text/event-stream");
        }
        if (slots.incrementAndGet() > config.maxStreams()) {
            slots.decrementAndGet();
            throw new HttpResponseException(503,
                    config.maxStreams() + " console streams are open (console.maxStreams)");
        }
        // a cookie session's stream ends when the session does (sign-out, expiry); a Bearer one does not
        String cookie = ctx.header("Authorization") == null ? ctx.cookie(Sessions.COOKIE) : null;
        try {
            // the slot is the stream's from here; attach runs asynchronously and ended() gives it back
            new SseHandler(client -> attach(client, deviceId, cookie)).handle(ctx);
        } catch (Exception | Error e) {
            slots.decrementAndGet();
            throw e;
        }
    }

    private void ended(LiveStream s) {
        if (streams.remove(s)) {
            slots.decrementAndGet();
        }
    }

    private void attach(SseClient client, String deviceId, String cookie) {
        client.keepAlive();
        LiveStream s = new LiveStream(client, deviceId, config.streamBuffer(), events, dropped, this::ended);
        if (cookie != null) {
            s.signedIn = () -> sessionAlive.test(cookie);
        }
        LiveHub.DeviceLive d = deviceId == null ? null : hub.get(deviceId);
        if (d != null) {
            synchronized (d) {
                s.rowCursor = d.rowsTotal;
                s.scoreCursor = d.scoresTotal;
            }
        }
        streams.add(s);
        client.onClose(s::close);
        writers.newThread(s).start();
    }

    private void tickSafely() {
        try {
            tick(System.currentTimeMillis());
        } catch (RuntimeException e) {
            log.warn("Console tick failed: {}", e.getMessage(), e);
        }
    }

    void tick(long now) {
        long next = hub.now();
        List<LiveHub.DeviceLive> changed = hub.changedSince(mark);
        mark = next;
        List<Alert> alerts = hub.drainAlerts();
        boolean keepAlive = now - lastKeepAlive >= KEEP_ALIVE_MS;
        if (keepAlive) {
            lastKeepAlive = now;
        }
        String fleet = changed.isEmpty() || streams.isEmpty() ? null : fleetEvent(now, changed);
        for (LiveStream s : streams) {
            if (!s.signedIn.getAsBoolean()) {
                s.close(); // signed out or expired: no more live data for that browser
                continue;
            }
            if (s.deviceId == null) {
                if (fleet != null) {
                    s.offer("fleet", fleet);
                }
                for (Alert a : alerts) {
                    s.offer("alert", json(a.summary()));
                }
            } else {
                String points = pointsEvent(s);
                if (points != null) {
                    s.offer("points", points);
                }
            }
            if (keepAlive) {
                s.offer(null, "keep-alive");
            }
        }
    }

    private static String fleetEvent(long now, List<LiveHub.DeviceLive> changed) {
        List<Map<String, Object>> rows = new ArrayList<>(changed.size());
        for (LiveHub.DeviceLive d : changed) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", d.id);
            synchronized (d) {
                row.put("online", true);
                LiveHub.putLive(d, row);
            }
            rows.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ts", now);
        body.put("devices", rows);
        return json(body);
    }

    private String pointsEvent(LiveStream s) {
        LiveHub.DeviceLive d = hub.get(s.deviceId);
        if (d == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        synchronized (d) {
            if (d.rowsTotal < s.rowCursor) {
                s.rowCursor = 0; // the feature names changed: the ring started again
            }
            if (d.rowsTotal == s.rowCursor && d.scoresTotal == s.scoreCursor) {
                return null;
            }
            body.put("deviceId", d.id);
            body.put("names", d.names);
            body.put("rows", LiveHub.rowsAfter(d, s.rowCursor));
            body.put("scores", LiveHub.scoresAfter(d, s.scoreCursor));
            body.put("band", d.band);
            s.rowCursor = d.rowsTotal;
            s.scoreCursor = d.scoresTotal;
        }
        return json(body);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a console event", e);
        }
    }
}
