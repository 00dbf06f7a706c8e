package io.aiotedge.support.fleet;

import io.aiotedge.support.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Three KRaft brokers+controllers of real Apache Kafka, the server classes our shaded JAR
 * carries ({@code java -cp aiot-edge.jar kafka.Kafka nodeN.properties}), each in its own
 * namespace: mTLS between brokers and controllers, SASL_SSL with SCRAM-SHA-512 for clients,
 * StandardAuthorizer (nothing allowed without an ACL), RF 3 and min.insync.replicas 2, no topic
 * auto-creation. The {@code admin} user is made at format time.
 */
public final class KafkaCluster implements AutoCloseable {
    public static final int CLIENT_PORT = 9092;
    public static final String ADMIN = "admin";
    private final NetworkNamespaces net;
    private final FleetCerts certs;
    private final Path dir;
    private final String adminPassword;
    private final List<String> nodes;
    private final Map<String, NsProcess> brokers = new LinkedHashMap<>();

    public KafkaCluster(NetworkNamespaces net, FleetCerts certs, Path dir, List<String> nodes, String adminPassword) {
        this.net = net;
        this.certs = certs;
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
        this.adminPassword = adminPassword;
    }

    /** Formats the three log dirs (in parallel, child JVMs) and starts the brokers; does not wait. */
    public void start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String cid = Uuid.randomUuid().toString();
        List<Process> formats = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Path props = dir.resolve(nodes.get(i) + ".properties");
            Files.writeString(props, properties(i + 1), StandardCharsets.UTF_8);
            formats.add(new ProcessBuilder(java("-Xmx128m", "-cp", NodeProcess.jar().toString(),
                    "kafka.tools.StorageTool", "format", "-t", cid, "-c", props.toString(), "--add-scram",
                    "SCRAM-SHA-512=[name=" + ADMIN + ",password=" + adminPassword + "]")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(nodes.get(i) + "-format.log").toFile()).start());
        }
        for (Process p : formats) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("kafka storage format failed, see " + dir);
            }
        }
        for (String n : nodes) {
            brokers.put(n, NsProcess.start(net, n, List.of("-Xms128m", "-Xmx256m", "-XX:+UseSerialGC"),
                    List.of("-cp", NodeProcess.jar().toString(), "kafka.Kafka",
                            dir.resolve(n + ".properties").toString()),
                    dir.resolve(n + ".log")));
        }
    }

    private String properties(int id) {
        String me = net.address(nodes.get(id - 1));
        StringBuilder voters = new StringBuilder();
        StringBuilder supers = new StringBuilder("User:" + ADMIN);
        for (int i = 0; i < nodes.size(); i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append('@').append(net.address(nodes.get(i)))
                    .append(":9093");
            supers.append(";User:").append(nodes.get(i));
        }
        return String.join("\n", "process.roles=broker,controller", "node.id=" + id,
                "controller.quorum.voters=" + voters, "controller.listener.names=CONTROLLER",
                "listeners=INTERNAL://" + me + ":9094,CONTROLLER://" + me + ":9093,CLIENT://" + me + ":" + CLIENT_PORT,
                "advertised.listeners=INTERNAL://" + me + ":9094,CLIENT://" + me + ":" + CLIENT_PORT,
                "listener.security.protocol.map=INTERNAL:SSL,CONTROLLER:SSL,CLIENT:SASL_SSL",
                "inter.broker.listener.name=INTERNAL", "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certs.keystore(nodes.get(id - 1)),
                "ssl.keystore.password=" + certs.password(), "ssl.key.password=" + certs.password(),
                "ssl.truststore.type=PKCS12", "ssl.truststore.location=" + certs.truststore(),
                "ssl.truststore.password=" + certs.password(), "listener.name.internal.ssl.client.auth=required",
                "listener.name.controller.ssl.client.auth=required",
                "ssl.principal.mapping.rules=RULE:^CN=([^,]*).*$/$1/,DEFAULT",
                "listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512",
                "listener.name.client.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false", "super.users=" + supers,
                "log.dirs=" + dir.resolve(nodes.get(id - 1) + "-data"), "num.partitions=4",
                "default.replication.factor=3", "min.insync.replicas=2", "offsets.topic.replication.factor=3",
                "offsets.topic.num.partitions=4", "transaction.state.log.replication.factor=3",
                "transaction.state.log.min.isr=2", "share.coordinator.state.topic.replication.factor=3",
                "share.coordinator.state.topic.min.isr=2", "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", "broker.session.timeout.ms=4000",
                "broker.heartbeat.interval.ms=1000", "");
    }

    private static List<String> java(String... args) {
        List<String> cmd = NodeProcess.java();
        cmd.addAll(List.of(args));
        return cmd;
    }

    public String bootstrap() {
        StringBuilder b = new StringBuilder();
        for (String n : nodes) {
            b.append(b.length() == 0 ? "" : ",").append(net.address(n)).append(':').append(CLIENT_PORT);
        }
        return b.toString();
    }

    /** kafka-clients properties of a SCRAM user (SASL_SSL, trusting the plant CA). */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.location", certs.truststore().toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", certs.password());
        return p;
    }

    /** Properties for a client of this JVM as {@code admin}. */
    public Properties adminClient() {
        Properties p = new Properties();
        p.putAll(clientProperties(ADMIN, adminPassword));
        p.put("bootstrap.servers", bootstrap());
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        return p;
    }

    /** Number of brokers the cluster reports, or -1 when it does not answer. */
    public int registeredBrokers() {
        Properties p = adminClient();
        p.put("default.api.timeout.ms", "4000");
        p.put("request.timeout.ms", "3000");
        try (Admin a = Admin.create(p)) {
            return a.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * A SCRAM user with an inference node's ACLs (read telemetry and models in groups starting
     * {@code aiot-inference}, write alerts and control), or none at all ({@code inference} false).
     */
    public void addUser(String name, String password, boolean inference) throws Exception {
        try (Admin a = Admin.create(adminClient())) {
            a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(30, TimeUnit.SECONDS);
            if (!inference) {
                return;
            }
            String principal = "User:" + name;
            List<AclBinding> acls = new ArrayList<>();
            for (String t : List.of("aiot.telemetry", "aiot.models")) {
                acls.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ));
            }
            acls.add(allow(principal, ResourceType.GROUP, "aiot-inference", PatternType.PREFIXED, AclOperation.READ));
            for (String t : List.of("aiot.alerts", "aiot.control")) {
                acls.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE));
            }
            a.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    public NsProcess broker(String node) {
        return brokers.get(node);
    }

    public List<NsProcess> brokers() {
        return List.copyOf(brokers.values());
    }

    public String logs() {
        StringBuilder b = new StringBuilder();
        brokers.values().forEach(p -> b.append(p.logTail(3000)).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        brokers.values().forEach(NsProcess::close);
    }
}
