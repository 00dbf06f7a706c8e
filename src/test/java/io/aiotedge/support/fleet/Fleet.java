package io.aiotedge.support.fleet;

import static org.awaitility.Awaitility.await;

import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.support.JvmEnv;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-node topology, each node a separate JVM of the shaded JAR in its own namespace:
 * {@code kafka1..3} (KRaft cluster), {@code platform} ({@code kafka.mode: external}, MQTT TLS with
 * users, HTTPS API), {@code gateway} (things-gateway + simulator, both to the platform's broker over
 * TLS), {@code inf1}/{@code inf2} (inference, one consumer group, models from the platform's HTTPS
 * API checked with the pinned signing key). Used by FleetIT and the fleet benchmark.
 */
public final class Fleet implements AutoCloseable {
    public static final List<String> BROKERS = List.of("kafka1", "kafka2", "kafka3");
    public static final List<String> INFERENCE = List.of("inf1", "inf2");
    public static final int MQTT_TLS = 8883;
    public static final int HTTPS = 8443;
    public static final int HTTP = 8080;
    private static final Map<String, Integer> HOSTS = Map.of("platform", 10, "gateway", 11, "inf1", 12, "inf2", 13,
            "kafka1", 21, "kafka2", 22, "kafka3", 23);

    private final Path dir;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Map<String, NsProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Double> startSeconds = new LinkedHashMap<>();
    private final Map<String, MemoryCgroup> groups = new LinkedHashMap<>();
    private NetworkNamespaces net;
    private FleetCerts certs;
    private KafkaCluster kafka;
    private FleetHttp http;
    private String adminToken;

    public Fleet(Path dir) {
        this.dir = dir;
        for (String u : List.of("kafka-admin", "kafka-inference", "kafka-gateway", "mqtt-gateway", "mqtt-sim",
                "mqtt-inference")) {
            byte[] b = new byte[15];
            new SecureRandom().nextBytes(b);
            passwords.put(u, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
    }

    /** Namespaces, certificates and the Kafka cluster with its users, awaited. */
    public void startKafka() throws Exception {
        net = NetworkNamespaces.create("aiotf-");
        Map<String, String> servers = new LinkedHashMap<>();
        for (var e : HOSTS.entrySet()) {
            String addr = net.add(e.getKey(), e.getValue());
            if (e.getKey().startsWith("kafka") || e.getKey().equals("platform")) {
                servers.put(e.getKey(), addr);
            }
        }
        certs = FleetCerts.make(dir.resolve("certs"), servers);
        http = new FleetHttp(certs.truststore(), certs.password());
        kafka = new KafkaCluster(net, certs, dir.resolve("kafka"), BROKERS, passwords.get("kafka-admin"));
        long t0 = System.nanoTime();
        kafka.start();
        if (!clusterFormed()) {
            // The brokers are the test's infrastructure, not the product under test: one that exits while
            // the cluster forms (seen once in CI, log lost) is restarted once, its log's end kept on stderr.
            System.err.println("A Kafka broker exited while the cluster formed; restarting it once.\n" + kafka.logs());
            for (NsProcess b : kafka.brokers()) {
                if (!b.alive()) {
                    b.restart();
                }
            }
            if (!clusterFormed()) {
                throw new AssertionError("the Kafka cluster did not come up; its brokers' logs end:\n" + kafka.logs());
            }
        }
        startSeconds.put("kafka", (System.nanoTime() - t0) / 1e9);
        kafka.addUser("inference", passwords.get("kafka-inference"), true);
        kafka.addUser("gateway", passwords.get("kafka-gateway"), false);
    }

    /** True once the three brokers are registered; false as soon as one has exited. */
    private boolean clusterFormed() {
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .failFast(() -> kafka.brokers().stream().anyMatch(b -> !b.alive()))
                    .until(() -> kafka.registeredBrokers() == 3);
            return true;
        } catch (org.awaitility.core.TerminalFailureException e) {
            return false;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the Kafka cluster did not form in 120 s; its brokers' logs end:\n" + kafka.logs(),
                    e);
        }
    }

    /** The platform node, awaited ready; then the admin token from its data dir. {@code sets}: more --set. */
    public void startPlatform(List<String> sets) throws Exception {
        PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 10_000);
        String yaml = String.join("\n", "http:", "  bindAddress: 0.0.0.0", "  port: " + HTTPS, "  tls:",
                "    keystorePath: " + certs.keystore("platform"), "    keystorePassword: " + q(certs.password()),
                "mqtt:", "  bindAddress: 0.0.0.0", "  port: 1883", "  tlsPort: " + MQTT_TLS, "  persistence: in-memory",
                "  tls:", "    keystorePath: " + certs.keystore("platform"),
                "    keystorePassword: " + q(certs.password()), "    privateKeyPassword: " + q(certs.password()),
                "  users:", user(hasher, "gateway", "mqtt-gateway"), user(hasher, "sim", "mqtt-sim"),
                user(hasher, "inference", "mqtt-inference"), "api:", "  publicUrl: " + q(platformUrl()),
                kafkaYaml(KafkaCluster.ADMIN, "kafka-admin"), "  partitions: 4", "  replicationFactor: 3", "");
        startNode("platform", "platform", "platform-external", yaml, sets);
        adminToken = Files.readString(dir.resolve("platform/keys/admin-token"), StandardCharsets.UTF_8).trim();
    }

    private String user(PasswordHasher hasher, String name, String passwordKey) {
        return "    - {username: " + name + ", passwordHash: "
                + q(hasher.hash(passwords.get(passwordKey).toCharArray()))
                + ", role: service}";
    }

    /** A node's Kafka client: SASL_SSL as the SCRAM user; the trust comes from tls.trustStore. */
    private String kafkaYaml(String user, String passwordKey) {
        StringBuilder b = new StringBuilder("kafka:\n  mode: external\n  bootstrapServers: " + q(kafka.bootstrap())
                + "\n  client:\n");
        kafka.clientProperties(user, passwords.get(passwordKey)).forEach((k, v) -> {
            if (!k.startsWith("ssl.truststore.")) {
                b.append("    ").append(k).append(": ").append(q(v)).append('\n');
            }
        });
        return b.toString().stripTrailing();
    }

    /** Both inference nodes, each with its own node token, the pinned signing key and the inference Kafka user. */
    public void startInference(String node) throws Exception {
        FleetHttp.Res tok = http.postJson(platformUrl() + "/api/v1/nodes", adminToken, "{\"id\":\"" + node + "\"}");
        if (tok.status() != 201) {
            throw new IllegalStateException("POST /api/v1/nodes: " + tok.status() + " " + tok.body());
        }
        String key = http.get(platformUrl() + "/api/v1/signing-key", null).json().get("publicKey").asText();
        String yaml = String.join("\n", "http:", "  bindAddress: 0.0.0.0", "  port: " + HTTP,
                kafkaYaml("inference", "kafka-inference"),
                // a killed node's partitions move after the session timeout (default 45 s): 6 s here
                "    session.timeout.ms: \"6000\"", "    heartbeat.interval.ms: \"1500\"", "inference:",
                "  source: kafka",
                "  host: " + address("platform"), "  port: " + MQTT_TLS, "  tls: true", "  username: inference",
                "  password: " + q(passwords.get("mqtt-inference")), "  platformUrl: " + q(platformUrl()),
                "  token: " + q(tok.json().get("token").asText()), "  publicKey: " + q(key), "");
        startNode(node, "inference", "inference", yaml, List.of());
    }

    /** The things-gateway with the simulator: both publish/subscribe on the platform's TLS listener. */
    public void startGateway(int motors, int framesPerSecond, List<String> sets) throws Exception {
        String p = address("platform");
        String yaml = String.join("\n", "http:", "  bindAddress: 0.0.0.0", "  port: " + HTTP,
                "mqtt:", "  bindAddress: 127.0.0.1", "  port: 1883", "  persistence: in-memory",
                "kafka:", "  mode: \"off\"", "gateway:", "  host: " + p, "  port: " + MQTT_TLS, "  tls: true",
                "  username: gateway", "  password: " + q(passwords.get("mqtt-gateway")), "  aggregateSeconds: 0",
                "simulator:", "  enabled: true", "  host: " + p, "  port: " + MQTT_TLS, "  tls: true",
                "  username: sim", "  password: " + q(passwords.get("mqtt-sim")), "  motors: " + motors,
                "  framesPerSecond: " + framesPerSecond, "  onsetSeconds: 0", "  rampSeconds: 0", "");
        startNode("gateway", "things-gateway", "things-gateway", yaml, sets);
    }

    /** Starts a node with its budget profile's shipped flags (deploy/jvm.env) inside a memory group of its limit. */
    private void startNode(String node, String role, String profileName, String yaml, List<String> sets)
            throws Exception {
        Path data = dir.resolve(node);
        Files.createDirectories(data);
        Path config = dir.resolve(node + ".yaml");
        // every TLS client of the node (MQTT, HTTPS downloads, Kafka) trusts the plant CA and nothing else
        String trust = "tls:\n  trustStore: " + q(certs.truststore().toString()) + "\n  trustStorePassword: "
                + q(certs.password()) + "\n";
        Files.writeString(config, "dataDir: " + q(data.toString()) + "\n" + trust + yaml, StandardCharsets.UTF_8);
        JvmEnv.Profile profile = JvmEnv.load().profile(profileName);
        MemoryCgroup group = MemoryCgroup.create(node, profile.limitBytes());
        groups.put(node, group);
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("-jar", NodeProcess.jar().toString(), "run", "--role", role,
                "--config", config.toString()));
        sets.forEach(x -> args.addAll(List.of("--set", x)));
        NsProcess proc = NsProcess.start(net, node, profile, group, args, dir.resolve(node + ".log"));
        nodes.put(node, proc);
        awaitReady(node);
        startSeconds.put(node, (System.nanoTime() - t0) / 1e9);
    }

    /** Waits for the node's /health/ready (after a start or restart). */
    public void awaitReady(String node) {
        NsProcess proc = nodes.get(node);
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                .failFast(node + " exited:\n" + proc.logTail(4000), () -> !proc.alive())
                .until(() -> http.ready(url(node)));
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public String address(String node) {
        return net.address(node);
    }

    public String platformUrl() {
        return "https://" + address("platform") + ":" + HTTPS;
    }

    /** Base URL of a node's HTTP(S) listener. */
    public String url(String node) {
        return node.equals("platform") ? platformUrl() : "http://" + address(node) + ":" + HTTP;
    }

    public NsProcess node(String name) {
        return nodes.get(name);
    }

    public Map<String, NsProcess> nodes() {
        return nodes;
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public NetworkNamespaces net() {
        return net;
    }

    public FleetCerts certs() {
        return certs;
    }

    public FleetHttp http() {
        return http;
    }

    public String adminToken() {
        return adminToken;
    }

    public String password(String key) {
        return passwords.get(key);
    }

    /** Seconds from launch to ready (to 3 registered brokers for "kafka"), per node. */
    public Map<String, Double> startSeconds() {
        return startSeconds;
    }

    /** Each running node's memory reading in its group (peak RSS, OOM kills), by node. */
    public Map<String, MemoryCgroup.Usage> memory() {
        Map<String, MemoryCgroup.Usage> out = new LinkedHashMap<>();
        nodes.forEach((name, p) -> out.put(name, groups.get(name).usage(p.pid())));
        return out;
    }

    /** The last lines of every node's log, for failure messages. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        nodes.values().forEach(n -> b.append(n.logTail(2500)).append('\n'));
        return b.append(kafka == null ? "" : kafka.logs()).toString();
    }

    @Override
    public void close() {
        nodes.values().forEach(NsProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        if (net != null) {
            net.close();
        }
        groups.values().forEach(MemoryCgroup::close);
    }
}
