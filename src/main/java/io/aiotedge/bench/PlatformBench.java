package io.aiotedge.bench;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.config.StorageConfig;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.NodeRole;
import io.aiotedge.runtime.Node;
import io.aiotedge.storage.Database;
import io.aiotedge.wire.Telemetry;
import io.aiotedge.wire.TelemetryCodec;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code aiot-edge bench platform}: (1) Kafka -> database ingest rows/s of a real platform node vs
 * a bare JDBC batch insert of the same rows into the same schema, in the same run, on the embedded
 * H2 file or on the PostgreSQL database given as {@code storage} (the baseline then runs in the
 * same database and deletes its rows before the node starts); (2) OTA download
 * throughput of the API (auth, ETag, verification) for N concurrent clients vs Javalin serving the
 * same file statically. Prints a Markdown table with the ratios.
 */
public final class PlatformBench {
    private static final List<String> NAMES = List.of("current_rms", "current_peak_hz", "vibration_rms",
            "vibration_band_bearing", "temperature_mean", "sound_rms");

    private final Path work;
    private final int rows;
    private final int clients;
    private final int seconds;
    private final Consumer<String> out;
    private final StorageConfig storage;

    public PlatformBench(Path work, int rows, int clients, int seconds, Consumer<String> out) {
        this(work, rows, clients, seconds, new StorageConfig("", "", ""), out);
    }

    public PlatformBench(Path work, int rows, int clients, int seconds, StorageConfig storage, Consumer<String> out) {
        this.storage = storage;
        this.work = work;
        this.rows = rows;
        this.clients = clients;
        this.seconds = seconds;
        this.out = out;
    }

    public void run() throws Exception {
        double bare = bareJdbc();
        Node producerNode = node(false);
        try {
            produce(producerNode.ports().get("kafka"));
        } finally {
            producerNode.stop();
        }
        long t0 = System.nanoTime();
        Node node = node(true);
        out.accept(String.format(Locale.ROOT, "node with ingest started in %.1f s", (System.nanoTime() - t0) / 1e9));
        try {
            int http = node.ports().get("http");
            String token = Files.readString(new KeyFiles(work.resolve("node")).adminToken()).trim();
            double ingest = ingest(http, token);
            HttpResponse<String> m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            m.body().lines().filter(l -> l.startsWith("aiot_ingest_batch_seconds_count")
                    || l.startsWith("aiot_ingest_batch_seconds_sum")).forEach(l -> out.accept("  " + l));
            out.accept("| measurement | ours | baseline | ratio |");
            out.accept("|---|---|---|---|");
            out.accept(String.format(Locale.ROOT,
                    "| ingest rows/s (Kafka -> %s, %d rows) vs bare JDBC batch insert | %.0f | %.0f | %.2fx |",
                    storage.postgres() ? "PostgreSQL" : "H2", rows, ingest, bare, ingest / bare));
            Path model = work.resolve("static/model.tflite");
            Files.createDirectories(model.getParent());
            byte[] bytes = new byte[1 << 20];
            new Random(1).nextBytes(bytes);
            Files.write(model, bytes);
            upload(http, token, model);
            double api = downloads("http://127.0.0.1:" + http + "/api/v1/models/bench/versions/1/download", token);
            Javalin stat = Javalin.create(c -> {
                c.showJavalinBanner = false;
                c.staticFiles.add(model.getParent().toString(), Location.EXTERNAL);
            }).start("127.0.0.1", 0);
            double st;
            try {
                st = downloads("http://127.0.0.1:" + stat.port() + "/model.tflite", null);
            } finally {
                stat.stop();
            }
            out.accept(String.format(Locale.ROOT,
                    "| OTA MiB/s, %d concurrent clients, 1 MiB model vs Javalin static | %.0f | %.0f | %.2fx |",
                    clients, api, st, api / st));
        } finally {
            node.stop();
        }
    }

    private Node node(boolean ingest) {
        NodeConfig c = new ConfigLoader(k -> null).load(null, List.of("dataDir=" + work.resolve("node"),
                "http.port=0", "mqtt.port=0", "kafka.port=0", "http.bindAddress=127.0.0.1",
                "mqtt.bindAddress=127.0.0.1", "models.maxModelBytes=4194304", "datastore.ingest=" + ingest,
                "storage.jdbcUrl=" + storage.jdbcUrl(), "storage.user=" + storage.user(),
                "storage.password=" + storage.password())).config();
        Node n = new Node(c, Set.of(NodeRole.PLATFORM));
        n.start();
        return n;
    }

    /** All rows go into Kafka first (ingest off), so the ingest is measured alone. */
    private void produce(int kafkaPort) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + kafkaPort);
        p.put("acks", "all");
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        TelemetryCodec codec = new TelemetryCodec();
        long t0 = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < rows; i++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("aiot.telemetry",
                        ("m-" + i % 100).getBytes(StandardCharsets.UTF_8),
                        codec.encode(telemetry(i)));
                r.headers().add("aiot.messageId", ("bench:" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
        }
        out.accept(String.format(Locale.ROOT, "produced %d telemetry records in %.1f s (ingest off)", rows,
                (System.nanoTime() - t0) / 1e9));
    }

    /** Rows/s between the first rows seen stored and the last, sampled every 20 ms. */
    private double ingest(int http, String token) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        long first = count(http, token);
        while (first == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            first = count(http, token);
        }
        long t0 = System.nanoTime();
        long stored = first;
        while (stored < rows && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stored = count(http, token);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        out.accept(String.format(Locale.ROOT, "ingest stored %d more rows in %.2f s after the first %d", stored - first,
                s, first));
        return (stored - first) / s;
    }

    private static long count(int http, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http + "/api/v1/datastore/stats"))
                .header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        String b = r.body();
        int i = b.indexOf("\"rows\":");
        return i < 0 ? 0 : Long.parseLong(b.substring(i + 7).replaceAll("[^0-9].*", ""));
    }

    private double bareJdbc() throws Exception {
        Database db = new Database(work.resolve("bare"), storage, 2);
        db.start();
        try (Connection c = db.dataSource().getConnection()) {
            String names = String.join(",", NAMES);
            c.createStatement().execute("INSERT INTO feature_schemas (id, names, names_sha256) VALUES (1, '" + names
                    + "', '" + sha256(names) + "')");
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c
                    .prepareStatement("INSERT INTO telemetry_rows (dedupe_key, device_id, ts, seq, "
                            + "label, schema_id, features, source, ingested_at) VALUES (?, ?, ?, ?, ?, 1, ?, 'aiot.telemetry', ?)")) {
                for (int i = 0; i < rows; i++) {
                    Telemetry t = telemetry(i);
                    ps.setString(1, "bench:" + i);
                    ps.setString(2, t.deviceId());
                    ps.setLong(3, t.timestampMillis());
                    ps.setLong(4, t.sequence());
                    ps.setString(5, t.label());
                    Double[] v = new Double[t.values().length];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = t.values()[j];
                    }
                    ps.setObject(6, v);
                    ps.setLong(7, System.currentTimeMillis());
                    ps.addBatch();
                    if (i % 2000 == 1999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            double perSecond = rows / ((System.nanoTime() - t0) / 1e9);
            c.createStatement().execute("DELETE FROM telemetry_rows"); // the node's database on PostgreSQL
            c.createStatement().execute("DELETE FROM feature_schemas");
            c.commit();
            return perSecond;
        } finally {
            db.stop();
        }
    }

    private static String sha256(String s) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static Telemetry telemetry(int i) {
        double[] v = new double[NAMES.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = i * 0.001 + j;
        }
        return new Telemetry("m-" + i % 100, System.currentTimeMillis(), i, NAMES, v,
                i % 2 == 0 ? "healthy" : "bearing-wear");
    }

    private static void upload(int http, String token, Path model) throws Exception {
        String boundary = "----bench";
        byte[] head = ("--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.tflite\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n"
                + "{\"inputSchema\":{\"features\":[\"a\"]}}\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] file = Files.readAllBytes(model);
        byte[] body = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http + "/api/v1/models/bench/versions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** MiB/s downloaded by {@code clients} threads looping for {@code seconds}. */
    private double downloads(String url, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
                    if (token != null) {
                        b.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("download answered " + r.statusCode());
                    }
                    bytes.addAndGet(r.body().length);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return bytes.get() / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
    }
}
