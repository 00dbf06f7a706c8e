package io.aiotedge.config;

import java.util.List;

/**
 * The motor simulator ({@code simulator.*}): a fleet publishing raw frames (or the reference
 * firmware's JSON) to an MQTT broker, this node's own by default. Off except in {@code demo}.
 *
 * @param enabled whether the node runs it
 * @param host the broker's host
 * @param port the broker's port; 0 = this node's MQTT port
 * @param tls whether to connect with TLS (the JVM's trust store), e.g. to a remote platform broker
 * @param username a service user that publishes for every motor; empty = one anonymous
 *     connection per motor with client id = device id (the demo's way)
 * @param password that user's password
 * @param connections with {@code username}: the connections the motors are spread over, each motor
 *     always on the same one (the broker runs one client's publishes one at a time, so one
 *     connection caps the fleet); without a user every motor has its own anyway
 * @param motors fleet size
 * @param framesPerSecond frames per second per motor (simulated time advances one window per frame)
 * @param seed noise seed; the same seed gives the same frames
 * @param format {@code binary} or {@code json} raw frames, or the reference firmware's {@code reference} JSON
 * @param faults fault per motor, cycling: healthy, bearing-wear, imbalance, overheating
 * @param onsetSeconds simulated seconds before a fault starts
 * @param rampSeconds simulated seconds from onset to full severity
 * @param regimeChangeSeconds simulated seconds after which every motor runs under a heavier load
 *     (drift for the pipeline to notice); 0 = never
 */
public record SimulatorConfig(boolean enabled, String host, int port, boolean tls, String username, String password,
        int connections, int motors, double framesPerSecond, long seed, Format format, List<String> faults,
        double onsetSeconds, double rampSeconds, double regimeChangeSeconds, TrustConfig trust) {

    public enum Format { BINARY, JSON, REFERENCE }

    /** The same settings logged in as {@code username} (the node's own service user). */
    public SimulatorConfig withCredentials(String username, String password) {
        return new SimulatorConfig(enabled, host, port, tls, username, password, connections, motors, framesPerSecond,
                seed,
                format,
                faults,
                onsetSeconds, rampSeconds, regimeChangeSeconds, trust);
    }

    private static final List<String> FAULTS = List.of("healthy", "bearing-wear", "imbalance", "overheating");

    public SimulatorConfig {
        faults = List.copyOf(faults);
    }

    static SimulatorConfig read(ConfigReader r, TrustConfig trust) {
        List<String> faults = r.stringList("simulator.faults");
        for (int i = 0; i < faults.size(); i++) {
            if (!FAULTS.contains(faults.get(i))) {
                r.problem("simulator.faults[" + i + "]", "must be one of " + FAULTS + ", got '" + faults.get(i) + "'");
            }
        }
        if (faults.isEmpty()) {
            r.problem("simulator.faults", "must name at least one condition");
        }
        return new SimulatorConfig(r.bool("simulator.enabled"), r.nonBlank("simulator.host"), r.port("simulator.port"),
                r.bool("simulator.tls"),
                r.string("simulator.username"), r.string("simulator.password"),
                r.integer("simulator.connections", 1, 64),
                r.integer("simulator.motors", 1, 10_000), r.integer("simulator.framesPerSecond", 1, 1000),
                r.longValue("simulator.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.enumValue("simulator.format", Format.class), faults,
                r.integer("simulator.onsetSeconds", 0, 10_000_000), r.integer("simulator.rampSeconds", 0, 10_000_000),
                r.integer("simulator.regimeChangeSeconds", 0, 10_000_000), trust);
    }
}
