package io.aiotedge.config;

import java.nio.file.Path;

/**
 * The whole node's configuration, immutable and validated.
 *
 * @param dataDir where every component keeps its files (broker, spool, databases, models)
 * @param tls the node-wide trust of our TLS clients (also inside the role and Kafka configs that use it)
 * @param storage the platform database (embedded H2 file, or a PostgreSQL server)
 * @param rollout staged rollouts and registry retention (platform role)
 */
public record NodeConfig(Path dataDir, MqttConfig mqtt, HttpConfig http, KafkaConfig kafka,
        BridgeConfig bridge, DspConfig dsp, SimulatorConfig simulator, GatewayConfig gateway,
        PlatformConfig platform, PipelineConfig pipeline, InferenceConfig inference, TrustConfig tls,
        StorageConfig storage, RolloutConfig rollout) {

    static NodeConfig read(ConfigReader r) {
        TrustConfig tls = TrustConfig.read(r);
        return new NodeConfig(r.path("dataDir"), MqttConfig.read(r), HttpConfig.read(r),
                KafkaConfig.read(r).withTrust(tls),
                BridgeConfig.read(r), DspConfig.read(r), SimulatorConfig.read(r, tls), GatewayConfig.read(r, tls),
                PlatformConfig.read(r), PipelineConfig.read(r), InferenceConfig.read(r, tls), tls,
                StorageConfig.read(r), RolloutConfig.read(r));
    }

    /** A copy whose data directory is {@code dir}. */
    public NodeConfig withDataDir(Path dir) {
        return new NodeConfig(dir, mqtt, http, kafka, bridge, dsp, simulator, gateway, platform, pipeline, inference,
                tls, storage, rollout);
    }
}
