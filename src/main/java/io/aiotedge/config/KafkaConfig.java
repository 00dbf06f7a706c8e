package io.aiotedge.config;

/**
 * Kafka ({@code kafka.*}): an in-process KRaft broker ({@code embedded}), an existing cluster
 * ({@code external}) or none ({@code off}).
 *
 * @param port the embedded broker's listener; 0 picks a free port
 * @param bootstrapServers the external cluster, {@code host:port[,host:port]}
 */
public record KafkaConfig(Mode mode, int port, String bootstrapServers) {

    public enum Mode { EMBEDDED, EXTERNAL, OFF }

    static KafkaConfig read(ConfigReader r) {
        Mode mode = r.enumValue("kafka.mode", Mode.class);
        String bootstrap = r.string("kafka.bootstrapServers");
        if (mode == Mode.EXTERNAL && bootstrap.isBlank()) {
            r.problem("kafka.bootstrapServers", "is required when kafka.mode is external");
        }
        if (!bootstrap.isBlank() && !bootstrap.matches("[^,\\s]+:\\d{1,5}(,[^,\\s]+:\\d{1,5})*")) {
            r.problem("kafka.bootstrapServers", "must be host:port[,host:port...], got '" + bootstrap + "'");
        }
        return new KafkaConfig(mode, r.port("kafka.port"), bootstrap);
    }
}
