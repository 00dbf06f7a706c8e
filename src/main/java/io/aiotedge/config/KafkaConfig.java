package io.aiotedge.config;

import java.util.Map;

/**
 * Kafka ({@code kafka.*}): an in-process KRaft broker ({@code embedded}), an existing cluster
 * ({@code external}) or none ({@code off}).
 *
 * @param port the embedded broker's client listener; 0 picks a free port
 * @param bindAddress the embedded broker's plaintext listener address; loopback only (it has no
 *     authentication: its principal is a super user, see {@link KafkaRemote} for other boards)
 * @param advertisedHost the host name clients of the embedded broker are told to use
 * @param bootstrapServers the external cluster, {@code host:port[,host:port]}
 * @param partitions partitions of each aiot topic created at startup
 * @param replicationFactor replicas of each aiot topic (1 for the embedded single node)
 * @param retentionHours how long the embedded broker keeps records
 * @param retentionBytesPerPartition how much the embedded broker keeps per partition
 * @param client extra kafka-clients properties for every client (TLS, SASL for Strimzi)
 * @param startupTimeoutSeconds how long start waits for the cluster (topic provisioning)
 * @param remote the embedded broker's authenticated listener for other boards
 */
public record KafkaConfig(Mode mode, int port, String bindAddress, String advertisedHost, String bootstrapServers,
        int partitions, short replicationFactor, int retentionHours, long retentionBytesPerPartition,
        Map<String, String> client, int startupTimeoutSeconds, KafkaRemote remote) {

    public enum Mode { EMBEDDED, EXTERNAL, OFF }

    public KafkaConfig {
        client = Map.copyOf(client);
    }

    /**
     * A copy whose {@code client} trusts {@code trust}: {@code ssl.truststore.location/password/type}
     * are added when {@code security.protocol} is SSL or SASL_SSL, {@code tls.trustStore} is set and
     * {@code kafka.client} sets no {@code ssl.truststore.*} of its own (which then wins).
     */
    public KafkaConfig withTrust(TrustConfig trust) {
        String protocol = client.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        boolean own = client.keySet().stream().anyMatch(k -> k.startsWith("ssl.truststore."));
        if (!trust.custom() || !tls || own) {
            return this;
        }
        Map<String, String> c = new java.util.HashMap<>(client);
        c.put("ssl.truststore.location", trust.trustStore().toString());
        c.put("ssl.truststore.password", trust.trustStorePassword());
        c.put("ssl.truststore.type", "PKCS12");
        return new KafkaConfig(mode, port, bindAddress, advertisedHost, bootstrapServers, partitions,
                replicationFactor, retentionHours, retentionBytesPerPartition, c, startupTimeoutSeconds, remote);
    }

    static KafkaConfig read(ConfigReader r) {
        Mode mode = r.enumValue("kafka.mode", Mode.class);
        String bootstrap = r.string("kafka.bootstrapServers");
        if (mode == Mode.EXTERNAL && bootstrap.isBlank()) {
            r.problem("kafka.bootstrapServers", "is required when kafka.mode is external");
        }
        if (!bootstrap.isBlank() && !bootstrap.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
            r.problem("kafka.bootstrapServers", "must be host:port[,host:port...], got '" + bootstrap + "'");
        }
        int partitions = r.integer("kafka.partitions", 1, 10_000);
        int replication = r.integer("kafka.replicationFactor", 1, 32);
        if (mode == Mode.EMBEDDED && replication != 1) {
            r.problem("kafka.replicationFactor", "must be 1 for the embedded single-node broker, got " + replication);
        }
        String bind = r.nonBlank("kafka.bindAddress");
        if (mode == Mode.EMBEDDED && !bind.isBlank() && !KafkaRemote.isLoopback(bind)) {
            r.problem("kafka.bindAddress", "must be a loopback address (127.0.0.1, ::1, localhost): the plaintext "
                    + "listener has no authentication; other boards use kafka.remote.* (SASL_SSL), got '" + bind + "'");
        }
        KafkaRemote remote = KafkaRemote.read(r, mode == Mode.EMBEDDED);
        return new KafkaConfig(mode, r.port("kafka.port"), bind,
                r.nonBlank("kafka.advertisedHost"), bootstrap, partitions, (short) replication,
                r.integer("kafka.retentionHours", 1, 100_000), r.longValue("kafka.retentionBytesPerPartition", 1 << 20,
                        Long.MAX_VALUE),
                r.flatMap("kafka.client"), r.integer("kafka.startupTimeoutSeconds", 1, 3600),
                remote);
    }
}
