package io.aiotedge.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.LiveConfig;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's streams on a real Jetty: a client that never reads is held to its queue's bounds
 * (count and bytes) while events for it are dropped and counted, and it is removed once the idle
 * timeout fails its blocked write; a reading client gets the fleet event and a resync after drops.
 */
class LiveStreamsTest {
    private static final int DEVICES = 1000;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LiveConfig config = new LiveConfig(64, 4, 60, 300);
    private final LiveHub hub = new LiveHub(config);
    private final java.util.Set<String> signedIn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private LiveStreams streams;
    private Javalin app;
    private int port;

    @BeforeEach
    void start() {
        streams = new LiveStreams(hub, config, meters, signedIn::contains);
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector c = new ServerConnector(server);
                c.setHost("127.0.0.1");
                c.setPort(0);
                c.setIdleTimeout(1500);
                return c;
            });
        });
        app.get("/live", ctx -> streams.open(ctx, null));
        app.start();
        port = app.port();
        streams.start(false); // the test drives tick(now) itself
    }

    @AfterEach
    void stop() {
        streams.stop();
        app.stop();
    }

    private void changeEveryDevice(int round) {
        for (int d = 0; d < DEVICES; d++) {
            hub.score("motor-" + d, 1_000_000L + round, (round % 100) / 100.0, round % 2 == 0 ? "OK" : "WARNING",
                    "m", 1);
        }
    }

    private static Socket openStream(int port) throws Exception {
        return openStream(port, "");
    }

    private static Socket openStream(int port, String headers) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n" + headers
                + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    @Test
    void clientThatNeverReads_staysWithinItsQueueBounds_isDroppedCounted_andRemovedAtTheIdleTimeout()
            throws Exception {
        try (Socket never = openStream(port)) {
            assertTrue(never.isConnected());
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 1);
            LiveStream stream = streams.streamsForTest().get(0);
            long offered = 0;
            int maxQueued = 0;
            long maxBytes = 0;
            for (int round = 0; round < 200 && streams.open() == 1; round++) {
                changeEveryDevice(round);
                streams.tick(2_000_000L + round);
                offered++;
                maxQueued = Math.max(maxQueued, stream.queued());
                maxBytes = Math.max(maxBytes, stream.queuedBytes());
            }
            double dropped = meters.counter("aiot_console_sse_dropped_total").count();
            assertTrue(offered >= 100, "events offered: " + offered);
            assertTrue(maxQueued <= 64, "queue held at most console.streamBuffer events: " + maxQueued);
            assertTrue(maxBytes <= LiveStream.MAX_QUEUED_BYTES, "queue held at most 1 MiB: " + maxBytes);
            assertTrue(dropped > 0, "events for the stuck client were dropped and counted");
            await().atMost(Duration.ofSeconds(15)).until(() -> streams.open() == 0);
        }
    }

    @Test
    void readingClient_getsTheChangedRows_andAResyncAfterDrops() throws Exception {
        try (Socket s = openStream(port);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 1);
            LiveStream stream = streams.streamsForTest().get(0);
            hub.score("motor-7", 5, 0.93, "FAILURE", "m", 3);
            streams.tick(10);
            String fleet = readData(in, "fleet");
            assertTrue(fleet.contains("\"id\":\"motor-7\"") && fleet.contains("\"band\":\"FAILURE\""), fleet);
            // offer far faster than one socket can take: the queue of 64 overflows
            for (int i = 0; i < 10_000; i++) {
                stream.offer("fleet", "{}");
            }
            String resync = readData(in, "resync");
            assertTrue(resync.matches("\\{\"dropped\":\\d+}"), resync);
        }
    }

    @Test
    void withoutAcceptEventStream_isRefusedWith406_andTakesNoSlot() throws Exception {
        for (int i = 0; i < 6; i++) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/live"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(406, r.statusCode(), r.body());
        }
        List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(openStream(port));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 4);
        } finally {
            for (Socket x : open) {
                x.close();
            }
        }
    }

    @Test
    void beyondMaxStreams_isRefusedWith503() throws Exception {
        List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(openStream(port));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 4);
            try (Socket fifth = openStream(port);
                    BufferedReader in = new BufferedReader(new InputStreamReader(fifth.getInputStream(),
                            StandardCharsets.UTF_8))) {
                assertEquals("HTTP/1.1 503 Service Unavailable", in.readLine(), "port " + fifth.getPort());
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aStreamOfASignedOutSession_endsAtTheNextTick_andFreesItsSlot() throws Exception {
        signedIn.add("c1");
        try (Socket s = openStream(port, "Cookie: " + Sessions.COOKIE + "=c1\r\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 1);
            hub.score("motor-1", 5, 0.5, "OK", "m", 1);
            streams.tick(10);
            assertTrue(readData(in, "fleet").contains("motor-1"), "signed in: live rows");
            signedIn.remove("c1"); // sign-out, or the session expired
            hub.score("motor-2", 6, 0.5, "OK", "m", 1);
            streams.tick(20);
            assertEquals(0, streams.open(), "the stream ended with its session");
            String line;
            StringBuilder rest = new StringBuilder();
            // until the response's last chunk ("0") or the close (the stream is sent with Connection: close)
            while ((line = in.readLine()) != null && !line.equals("0")) {
                rest.append(line).append('\n');
            }
            assertTrue(!rest.toString().contains("motor-2"), "nothing after the sign-out: " + rest);
        }
        List<Socket> again = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                again.add(openStream(port));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> streams.open() == 4);
        } finally {
            for (Socket x : again) {
                x.close();
            }
        }
    }

    /** The data line of the next event named {@code name}. */
    private static String readData(BufferedReader in, String name) throws Exception {
        String line;
        boolean inEvent = false;
        while ((line = in.readLine()) != null) {
            if (line.equals("event: " + name)) {
                inEvent = true;
            } else if (inEvent && line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        throw new AssertionError("stream ended before a " + name + " event");
    }
}
