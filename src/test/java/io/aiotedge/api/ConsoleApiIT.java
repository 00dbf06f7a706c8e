package io.aiotedge.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.support.Api;
import io.aiotedge.support.Metrics;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.PlatformNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's API on one real platform node (broker, Kafka, H2): users sign in to a session
 * cookie and are held to their role; cookie writes need the CSRF token and the own origin;
 * logout and one-time links end and start sessions; alerts a service publishes are stored and
 * acknowledged durably while one a device forges about itself is dropped; the fleet joins the
 * registry with the live state; the node view and the live streams answer signed-in users only.
 */
class ConsoleApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    /** Where browsers would reach this node through a TLS-terminating proxy. */
    private static final String PUBLIC_ORIGIN = "https://edge.plant.local:8443";
    @TempDir
    static Path dir;
    static PlatformNode node;
    static Api api;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        String hash = new PasswordHasher(new SecureRandom(), 10_000).hash(PASSWORD.toCharArray());
        node = new PlatformNode(dir, "api.users=[{username: vera, passwordHash: \"" + hash + "\", role: viewer},"
                + "{username: ana, passwordHash: \"" + hash + "\", role: operator}]",
                "mqtt.users=[{username: infer-1, passwordHash: \"" + hash + "\", role: service}]",
                "pipeline.enabled=false", "api.publicOrigin=" + PUBLIC_ORIGIN);
        api = node.api();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A signed-in browser: its cookie and CSRF token. */
    record Browser(String cookie, String csrf, HttpResponse<String> signIn) {
    }

    static Browser signIn(String user) throws Exception {
        HttpResponse<String> r = send(post("/api/v1/session", "{\"username\":\"" + user + "\",\"password\":\""
                + PASSWORD + "\"}"));
        assertEquals(200, r.statusCode(), r.body());
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Browser(cookie, JSON.readTree(r.body()).get("csrf").asText(), r);
    }

    static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Duration.ofSeconds(20));
    }

    static HttpRequest.Builder post(String path, String json) {
        return req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> as(Browser b, HttpRequest.Builder r) throws Exception {
        return send(r.header("Cookie", b.cookie()));
    }

    static String message(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("message").asText();
    }

    @Test
    void signIn_setsAStrictHttpOnlyCookie_andAWrongPasswordIsRefused() throws Exception {
        Browser vera = signIn("vera");
        String setCookie = vera.signIn().headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.startsWith("aiot_session="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.contains("Path=/"), setCookie);
        assertTrue(setCookie.contains("; Secure"), "plain http behind an https api.publicOrigin: " + setCookie);
        JsonNode session = JSON.readTree(as(vera, req("/api/v1/session")).body());
        assertEquals("vera", session.get("user").asText());
        assertEquals("viewer", session.get("role").asText());
        assertEquals(vera.csrf(), session.get("csrf").asText());

        HttpResponse<String> wrong = send(post("/api/v1/session", "{\"username\":\"vera\",\"password\":\"nope\"}"));
        assertEquals(401, wrong.statusCode());
        assertEquals("wrong user name, password or token", message(wrong));
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> unknown = send(post("/api/v1/session", "{\"username\":\"nobody\",\"password\":\""
                + PASSWORD + "\"}"));
        assertEquals(401, unknown.statusCode(), "another user's password does not open an unknown name");
        assertEquals("wrong user name, password or token", message(unknown));
        HttpResponse<String> forged = send(req("/api/v1/session").header("Cookie", "aiot_session=forged-value"));
        assertEquals(401, forged.statusCode());
    }

    @Test
    void viewer_readsEverything_butEveryWriteIs403_evenWithTheCsrfToken() throws Exception {
        Browser vera = signIn("vera");
        for (String path : new String[] {"/api/v1/fleet", "/api/v1/alerts", "/api/v1/node", "/api/v1/devices",
                "/api/v1/models", "/api/v1/datastore/stats"}) {
            assertEquals(200, as(vera, req(path)).statusCode(), path);
        }
        HttpResponse<String> promote = as(vera, req("/api/v1/models/m/aliases/champion")
                .header("X-CSRF-Token", vera.csrf()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":1}")));
        assertEquals(403, promote.statusCode());
        assertEquals("this call needs the admin role; vera is a viewer", message(promote));
        HttpResponse<String> ack = as(vera, post("/api/v1/alerts/1/ack", "{}").header("X-CSRF-Token", vera.csrf()));
        assertEquals(403, ack.statusCode());
        assertEquals("this call needs the operator role; vera is a viewer", message(ack));
        HttpResponse<String> revoke = as(vera, post("/api/v1/devices/x/revoke", "").header("X-CSRF-Token",
                vera.csrf()));
        assertEquals(403, revoke.statusCode());
    }

    @Test
    void cookieWrites_needTheCsrfTokenAndTheOwnOrigin_bearerCallsDoNot() throws Exception {
        Browser ana = signIn("ana");
        HttpResponse<String> none = as(ana, post("/api/v1/alerts/999999/ack", "{\"note\":\"x\"}"));
        assertEquals(403, none.statusCode());
        assertEquals("csrf token missing or wrong", message(none));
        HttpResponse<String> wrong = as(ana, post("/api/v1/alerts/999999/ack", "{}").header("X-CSRF-Token", "guess"));
        assertEquals("csrf token missing or wrong", message(wrong));
        HttpResponse<String> foreign = as(ana, post("/api/v1/alerts/999999/ack", "{}")
                .header("X-CSRF-Token", ana.csrf()).header("Origin", "https://evil.example"));
        assertEquals(403, foreign.statusCode());
        assertEquals("cross-origin request refused", message(foreign));
        for (String lookalike : new String[] {"https://edge.plant.local", "http://edge.plant.local:8443",
                PUBLIC_ORIGIN + ".evil.example"}) {
            HttpResponse<String> r = as(ana, post("/api/v1/alerts/999999/ack", "{}")
                    .header("X-CSRF-Token", ana.csrf()).header("Origin", lookalike));
            assertEquals(403, r.statusCode(), lookalike);
            assertEquals("cross-origin request refused", message(r));
        }
        HttpResponse<String> right = as(ana, post("/api/v1/alerts/999999/ack", "{}")
                .header("X-CSRF-Token", ana.csrf()).header("Origin", api.base()));
        assertEquals(404, right.statusCode(), "past auth and CSRF, the alert does not exist");
        HttpResponse<String> proxied = as(ana, post("/api/v1/alerts/999999/ack", "{}")
                .header("X-CSRF-Token", ana.csrf()).header("Origin", PUBLIC_ORIGIN));
        assertEquals(404, proxied.statusCode(), "the public origin is this node's too: " + proxied.body());
        String login = "{\"username\":\"ana\",\"password\":\"" + PASSWORD + "\"}";
        HttpResponse<String> forgedSignIn = send(post("/api/v1/session", login).header("Origin",
                "https://evil.example"));
        assertEquals(403, forgedSignIn.statusCode());
        assertEquals("cross-origin request refused", message(forgedSignIn));
        assertTrue(forgedSignIn.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(200, send(post("/api/v1/session", login).header("Origin", PUBLIC_ORIGIN)).statusCode());
        assertEquals(404, api.postJson("/api/v1/alerts/999999/ack", api.admin(), "{}").status(),
                "a Bearer call needs no CSRF token");
    }

    @Test
    void logout_endsTheSession_andClearsTheCookie() throws Exception {
        Browser ana = signIn("ana");
        HttpResponse<String> noCsrf = as(ana, req("/api/v1/session").DELETE());
        assertEquals(403, noCsrf.statusCode());
        HttpResponse<String> out = as(ana, req("/api/v1/session").header("X-CSRF-Token", ana.csrf()).DELETE());
        assertEquals(204, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        HttpResponse<String> after = as(ana, req("/api/v1/fleet"));
        assertEquals(401, after.statusCode());
        assertEquals("the session has ended: sign in again", message(after));
    }

    @Test
    void oneTimeLink_signsInOnce_thenRedirectsAsExpired() throws Exception {
        assertEquals(403, as(signIn("ana"), post("/api/v1/session/links", "{}")).statusCode());
        Api.Res link = api.postJson("/api/v1/session/links", api.admin(), "{\"role\":\"viewer\"}");
        assertEquals(201, link.status(), link.text());
        String url = link.json().get("url").asText();
        HttpResponse<String> first = send(req(url));
        assertEquals(303, first.statusCode());
        assertEquals("/console/", first.headers().firstValue("Location").orElseThrow());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        JsonNode session = JSON.readTree(send(req("/api/v1/session").header("Cookie",
                cookie.substring(0, cookie.indexOf(';')))).body());
        assertEquals("viewer", session.get("role").asText());
        assertEquals("link", session.get("via").asText());
        assertEquals("admin", session.get("issuedBy").asText());
        assertEquals("admin", session.get("user").asText(), "the admin token issued it: the session is the admin's");
        HttpResponse<String> again = send(req(url));
        assertEquals(303, again.statusCode());
        assertEquals("/console/?signin=expired", again.headers().firstValue("Location").orElseThrow());
        assertTrue(again.headers().firstValue("Set-Cookie").isEmpty());

        Api.Res forAna = api.postJson("/api/v1/session/links", api.admin(), "{\"user\":\"ana\"}");
        assertEquals("ana", forAna.json().get("user").asText());
        assertEquals("operator", forAna.json().get("role").asText(), "a named user's link has that user's role");
        Api.Res above = api.postJson("/api/v1/session/links", api.admin(), "{\"user\":\"vera\",\"role\":\"admin\"}");
        assertEquals(400, above.status());
        assertTrue(above.text().contains("must not exceed the user's own role (viewer)"), above.text());
        Api.Res nobody = api.postJson("/api/v1/session/links", api.admin(), "{\"user\":\"" + HOSTILE + "\"}");
        assertEquals(400, nobody.status());
        assertTrue(nobody.text().contains("names no user of api.users") && !nobody.text().contains("<img"),
                nobody.text());
    }

    /** A browser signed in by a one-time link the admin token made with {@code body}. */
    static Browser viaLink(String body) throws Exception {
        Api.Res link = api.postJson("/api/v1/session/links", api.admin(), body);
        assertEquals(201, link.status(), link.text());
        HttpResponse<String> r = send(req(link.json().get("url").asText()));
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> session = send(req("/api/v1/session").header("Cookie", cookie));
        return new Browser(cookie, JSON.readTree(session.body()).get("csrf").asText(), r);
    }

    @Test
    void serviceAlerts_areStoredAndAcknowledgedDurably_forgedOnesDropped_andTheFleetShowsThem() throws Exception {
        Api.Res dev = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"pump-x\",\"type\":\"" + HOSTILE
                + "\",\"metadata\":{\"line\":\"" + HOSTILE + "\"}}");
        assertEquals(201, dev.status(), dev.text());
        String secret = dev.json().get("secret").asText();
        String alert = "{\"schemaVersion\":1,\"type\":\"condition\",\"deviceId\":\"%s\",\"band\":\"FAILURE\","
                + "\"previousBand\":\"WARNING\",\"score\":0.93,\"model\":\"motor-condition\",\"modelVersion\":3,"
                + "\"lineageId\":\"9f2c4a1b7e3d5a60\",\"node\":\"local\",\"timestamp\":%d}";
        long ts = System.currentTimeMillis();
        Mqtt5BlockingClient device = Mqtt.v5(node.mqtt(), "pump-x");
        device.connectWith().simpleAuth().username("pump-x").password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        device.publishWith().topic("aiot/v1/things/pump-x/alerts").qos(MqttQos.AT_LEAST_ONCE)
                .payload(String.format(java.util.Locale.ROOT, alert, "pump-x", ts).getBytes(StandardCharsets.UTF_8))
                .send();
        device.disconnect();
        Mqtt5BlockingClient service = Mqtt.v5(node.mqtt(), "infer-1");
        service.connectWith().simpleAuth().username("infer-1").password(PASSWORD.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        service.publishWith().topic("aiot/v1/things/motor-a/alerts").qos(MqttQos.AT_LEAST_ONCE)
                .payload(String.format(java.util.Locale.ROOT, alert, "motor-a", ts).getBytes(StandardCharsets.UTF_8))
                .send();
        service.disconnect();
        produceCommands();

        await().atMost(Duration.ofSeconds(60)).until(() -> Metrics.sum(api.get("/metrics", null).text(),
                "aiot_alerts_dropped_total") == 2
                && api.get("/api/v1/alerts", api.admin()).json().get("alerts")
                        .size() == 1
                && api.get("/api/v1/fleet/motor-a", api.admin()).json().get("commands").size() == 1);
        JsonNode stored = api.get("/api/v1/alerts", api.admin()).json().get("alerts").get(0);
        assertEquals("motor-a", stored.get("deviceId").asText());
        assertEquals("9f2c4a1b7e3d5a60", stored.get("lineageId").asText());
        assertEquals(3, stored.get("modelVersion").asInt());
        assertTrue(stored.get("ack").isNull());
        long id = stored.get("id").asLong();
        assertTrue(api.get("/metrics", null).text().contains("aiot_alerts_dropped_total{reason=\"forged\"} 2.0"));

        Browser ana = viaLink("{\"user\":\"ana\"}"); // the ack names her, not the link's role
        HttpResponse<String> ack = as(ana, post("/api/v1/alerts/" + id + "/ack", "{\"note\":\"bearing replaced\"}")
                .header("X-CSRF-Token", ana.csrf()));
        assertEquals(200, ack.statusCode(), ack.body());
        JsonNode seen = api.get("/api/v1/alerts/" + id, api.admin()).json();
        assertEquals("ana", seen.get("ack").get("by").asText());
        assertEquals("bearing replaced", seen.get("ack").get("note").asText());
        assertEquals("FAILURE", seen.get("payload").get("band").asText());
        HttpResponse<String> twice = as(ana, post("/api/v1/alerts/" + id + "/ack", "{}").header("X-CSRF-Token",
                ana.csrf()));
        assertEquals(409, twice.statusCode());
        assertEquals(0, api.get("/api/v1/alerts?acked=false", api.admin()).json().get("alerts").size());

        JsonNode fleet = api.get("/api/v1/fleet?sort=band", api.admin()).json();
        JsonNode first = fleet.get("devices").get(0);
        assertEquals("motor-a", first.get("id").asText(), fleet.toString());
        assertEquals("FAILURE", first.get("band").asText());
        assertFalse(first.get("registered").asBoolean());
        JsonNode pump = api.get("/api/v1/fleet/pump-x", api.admin()).json().get("device");
        assertEquals(HOSTILE, pump.get("metadata").get("line").asText(), "stored and answered as the literal text");
        assertEquals(HOSTILE, pump.get("type").asText());
        assertEquals(1, api.get("/api/v1/fleet?band=FAILURE", api.admin()).json().get("devices").size());
        assertEquals(1, api.get("/api/v1/fleet?q=PUMP", api.admin()).json().get("devices").size());
        assertEquals(404, api.get("/api/v1/fleet/nobody", api.admin()).status());
    }

    @Test
    void fleetOfAThousandTelemetryDevices_answersFast_andADeviceShowsItsStoredPoints() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + node.kafka());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        io.aiotedge.wire.TelemetryCodec codec = new io.aiotedge.wire.TelemetryCodec();
        long now = System.currentTimeMillis();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 1000; i++) {
                    String id = String.format(java.util.Locale.ROOT, "fleet-%04d", i);
                    io.aiotedge.wire.Telemetry t = new io.aiotedge.wire.Telemetry(id, now - 10_000 + round, round,
                            java.util.List.of("current_rms", "vibration_rms"), new double[] {2.5, 0.01 * i}, null);
                    producer.send(new ProducerRecord<>("aiot.telemetry", id.getBytes(StandardCharsets.UTF_8),
                            codec.encode(t)));
                }
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/fleet?q=fleet-", api.admin()).json()
                .get("devices").size() == 1000
                && api.get("/api/v1/fleet/fleet-0999", api.admin()).json()
                        .get("features").get("rows").size() == 2);
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            Api.Res r = api.get("/api/v1/fleet?sort=lastSeen", api.admin());
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.status());
        }
        java.util.Arrays.sort(ms);
        System.out.println("GET /api/v1/fleet with 1000+ devices: median " + ms[2] + " ms, max " + ms[4] + " ms");
        assertTrue(ms[2] < 500, "median " + ms[2] + " ms");
        JsonNode one = api.get("/api/v1/fleet/fleet-0999", api.admin()).json();
        assertEquals("[\"current_rms\",\"vibration_rms\"]", one.get("features").get("names").toString());
        assertEquals(9.99, one.get("features").get("rows").get(1).get(2).asDouble(), 1e-4);
        assertTrue(one.get("device").get("online").asBoolean(), "seen in the last 30 s");
    }

    /** One command from a Kafka client (trusted: Kafka's ACLs let it write) and one stamped as a device's. */
    private static void produceCommands() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + node.kafka());
        p.put("acks", "all");
        byte[] cmd = "{\"schemaVersion\":1,\"command\":\"servo\",\"angle\":90,\"deviceId\":\"motor-a\",\"reason\":\"FAILURE\"}"
                .getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("aiot.control", "motor-a".getBytes(StandardCharsets.UTF_8), cmd)).get();
            ProducerRecord<byte[], byte[]> forged = new ProducerRecord<>("aiot.control",
                    "motor-a".getBytes(StandardCharsets.UTF_8), cmd);
            forged.headers().add("aiot.principal", "pump-x".getBytes(StandardCharsets.UTF_8));
            forged.headers().add("aiot.principalRole", "device".getBytes(StandardCharsets.UTF_8));
            producer.send(forged).get();
        }
    }

    @Test
    void nodeView_andLiveStreams_answerSignedInUsersOnly() throws Exception {
        assertEquals(401, send(req("/api/v1/node")).statusCode());
        Api.Res device = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"probe-1\"}");
        assertEquals(403, api.get("/api/v1/node", device.json().get("token").asText()).status(),
                "a device token opens no console route");
        Browser vera = signIn("vera");
        JsonNode view = JSON.readTree(as(vera, req("/api/v1/node")).body());
        assertTrue(view.get("ready").asBoolean(), view.toString());
        assertTrue(view.get("datastore").get("rows").isNumber(), view.toString());
        assertTrue(view.get("jvm").get("heapUsedBytes").asLong() > 0);
        assertTrue(view.get("components").toString().contains("\"name\":\"alerts\""), view.toString());

        assertEquals(401, send(req("/api/v1/live/fleet").header("Accept", "text/event-stream")).statusCode());
        assertEquals(400, as(vera, req("/api/v1/live/fleet")).statusCode(), "not an event-stream request");
        HttpResponse<InputStream> live = HTTP.send(req("/api/v1/live/fleet").header("Cookie", vera.cookie())
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = live.body()) {
            assertEquals(200, live.statusCode(), "stream open: " + in.getClass().getSimpleName());
            assertEquals("text/event-stream;charset=utf-8",
                    live.headers().firstValue("Content-Type").orElseThrow().toLowerCase(java.util.Locale.ROOT)
                            .replace(" ", ""));
        }
        assertNull(JSON.readTree(send(req("/api/v1/session").header("Authorization", "Bearer " + api.admin())).body())
                .get("csrf").textValue(), "a Bearer caller has no session and no CSRF token");
    }
}
