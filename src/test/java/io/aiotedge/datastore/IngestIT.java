package io.aiotedge.datastore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.support.Api;
import io.aiotedge.support.Backend;
import io.aiotedge.support.KafkaRecords;
import io.aiotedge.support.Metrics;
import io.aiotedge.support.PlatformNode;
import io.aiotedge.support.PostgresServer;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka -> training datastore with a real in-process KRaft broker and the real H2 file or a real
 * PostgreSQL ({@code storage.jdbcUrl}): every record stored once despite redelivery, bad records
 * dead-lettered with their reason, and the rows still there, still single, after a restart that
 * re-reads the whole topic.
 */
class IngestIT {
    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();
    static final int GOOD = 300;
    static final int LEGACY = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ingestOfNRecordsWithRedeliveries_storesExactlyNRows_andSurvivesARestartThatReReadsEverything(Backend backend)
            throws Exception {
        String[] storage = backend.sets(PG);
        String bootstrap;
        try (PlatformNode node = new PlatformNode(dir, storage)) {
            bootstrap = "127.0.0.1:" + node.kafka();
            Api api = node.api();
            produceAll(bootstrap);
            await().atMost(Duration.ofSeconds(90)).until(() -> rows(api) == GOOD + LEGACY);
            List<KafkaRecords.Rec> dead = KafkaRecords.all(bootstrap, "aiot.deadletter");
            assertEquals(3, dead.size(), "the three bad records, once each");
            assertTrue(dead.stream().allMatch(r -> r.header("aiot.error") != null && r.header("aiot.source") != null));
            assertTrue(dead.stream().anyMatch(r -> r.header("aiot.error").contains("not valid JSON")), dead.toString());

            JsonNode page = api.get("/api/v1/datastore/rows?device=motor-1&limit=1000", api.admin()).json();
            assertEquals(GOOD / 3, page.get("rows").size());
            JsonNode first = page.get("rows").get(0);
            assertEquals(2.5, first.get("features").get("current_rms").asDouble());
            assertTrue(first.get("label").isTextual());
            assertEquals(LEGACY, api.get("/api/v1/datastore/rows?device=14333616", api.admin()).json()
                    .get("rows").size());
            String csv = api.get("/api/v1/datastore/rows?format=csv&label=bearing-wear&limit=100000", api.admin())
                    .text();
            String[] lines = csv.split("\n");
            assertEquals(
                    "id,deviceId,timestamp,sequence,label,current_rms,vibration_rms,current,temperature,vibration,sound",
                    lines[0]);
            assertEquals(GOOD / 3 + 1, lines.length);
            String metrics = api.get("/metrics", null).text();
            assertTrue(metrics.contains("aiot_ingest_consumer_lag"), "lag is exposed");
            assertTrue(metrics.contains("aiot_ingest_duplicates_total"));
        }
        // a new consumer group re-reads every record of the topics from the start
        String[] replay = Stream.concat(Stream.of(storage), Stream.of("datastore.ingestGroupId=replay-all"))
                .toArray(String[]::new);
        try (PlatformNode again = new PlatformNode(dir, replay)) {
            Api api = again.api();
            String metricsUrl = "/metrics";
            await().atMost(Duration.ofSeconds(90)).until(() -> Metrics.sum(api.get(metricsUrl, null).text(),
                    "aiot_ingest_duplicates_total") >= GOOD + LEGACY);
            assertEquals(GOOD + LEGACY, rows(api));
        }
    }

    private static long rows(Api api) {
        Api.Res r = api.get("/api/v1/datastore/stats", api.admin());
        return r.status() == 200 ? r.json().get("rows").asLong() : -1;
    }

    private static void produceAll(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        TelemetryCodec codec = new TelemetryCodec();
        String[] labels = {"healthy", "bearing-wear", "imbalance"};
        long now = System.currentTimeMillis(); // recent: older rows would fall to retention (90 days)
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < GOOD; i++) {
                String device = "motor-" + (i % 3);
                Telemetry t = new Telemetry(device, now - 60_000 + i, i, List.of("current_rms", "vibration_rms"),
                        new double[] {2.5, 0.01 * i}, labels[i % 3]);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("aiot.telemetry", utf8(device),
                        codec.encode(t));
                r.headers().add("aiot.messageId", utf8("boot-1:" + i));
                asTheGateway(r);
                producer.send(r);
                if (i % 6 == 0) { // a bridge replay sends the same message again
                    ProducerRecord<byte[], byte[]> again = new ProducerRecord<>("aiot.telemetry", utf8(device),
                            codec.encode(t));
                    again.headers().add("aiot.messageId", utf8("boot-1:" + i));
                    asTheGateway(again);
                    producer.send(again);
                }
            }
            for (int i = 0; i < LEGACY; i++) {
                producer.send(new ProducerRecord<>("shaded-pole-motor-sensor_data", utf8("14333616"),
                        utf8("{\"deviceID\":\"14333616\",\"current\":1." + i + ",\"temperature\":40,\"vibration\":0.2,"
                                + "\"sound\":50,\"fft_data\":\"true\"}")));
            }
            producer.send(new ProducerRecord<>("aiot.telemetry", utf8("x"), utf8("{not json")));
            producer.send(new ProducerRecord<>("aiot.telemetry", utf8("x"), utf8("{\"schema\":99}")));
            producer.send(
                    new ProducerRecord<>("shaded-pole-motor-sensor_data", utf8("x"), utf8("{\"deviceID\":\"x\"}")));
            producer.flush();
        }
    }

    /** What the bridge writes for the gateway's publishes: a service principal, a label source by default. */
    private static void asTheGateway(ProducerRecord<byte[], byte[]> r) {
        r.headers().add("aiot.principal", utf8("gw")).add("aiot.principalRole", utf8("service"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
