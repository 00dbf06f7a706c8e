package io.aiotedge.config;

/**
 * The inference role ({@code inference.*}): follows a model's announcements, scores telemetry,
 * raises condition alerts and servo commands, all over MQTT.
 *
 * @param backend {@code auto}, {@code tflite} or {@code java}
 * @param modelName the registry model it follows
 * @param host the broker with telemetry and announcements; @param port 0 = this node's MQTT port
 * @param username a service user (alerts and control for every device); empty = anonymous (demo)
 * @param token a model-download token ({@code aiot-edge nodes provision}); empty on a node with
 *     the platform role, which gives its own inference role a token per start. Never the admin token.
 * @param platformUrl the platform API models are downloaded from ({@code scheme://host:port});
 *     empty = this node's own API (platform role); announcements never choose the host
 * @param maxModelBytes an announced model larger than this is refused before any download
 * @param publicKey the Ed25519 model-signing key (raw base64 or PEM); empty =
 *     {@code <dataDir>/keys/model-signing.pub} (a node that also has the platform role)
 * @param warning score at which a motor enters WARNING; @param failure score for FAILURE
 * @param hysteresis a band is left only when the score falls this far below its threshold
 * @param confirmWindows consecutive windows above a threshold before the band is entered
 * @param servoAngle the actuator command sent when a motor enters FAILURE
 * @param source where telemetry comes from: {@code kafka} ({@code aiot.telemetry} as a consumer
 *     group, commands on {@code aiot.control}), {@code mqtt} (a shared subscription on the broker,
 *     commands on the control topics), {@code gateway} (the things-gateway role on the same node
 *     hands over each window it computes, no broker hop), {@code auto} (kafka when the node has
 *     Kafka, else mqtt)
 * @param groupId the Kafka consumer group; inference nodes in one group split the partitions
 * @param statsWindowSeconds the window over which scores are aggregated per device (API, metrics)
 * @param reportSeconds how often the node reports what it serves and its rollout counts to the
 *     platform ({@code POST /api/v1/nodes/<id>/report}); 0 = never
 * @param trust the node-wide {@code tls.*} trust of its MQTT connection and model downloads
 */
public record InferenceConfig(String backend, String modelName, String host, int port, boolean tls, String username,
        String password, String token, String publicKey, double warning, double failure,
        double hysteresis, int confirmWindows, int servoAngle, Source source, String groupId,
        int statsWindowSeconds, String platformUrl, long maxModelBytes, int reportSeconds,
        TrustConfig trust) {

    public enum Source { AUTO, MQTT, KAFKA, GATEWAY }

    /** The same settings logged in as {@code username} (the node's own service user). */
    public InferenceConfig withCredentials(String username, String password) {
        return new InferenceConfig(backend, modelName, host, port, tls, username, password, token, publicKey, warning,
                failure, hysteresis, confirmWindows, servoAngle, source, groupId, statsWindowSeconds, platformUrl,
                maxModelBytes, reportSeconds, trust);
    }

    static InferenceConfig read(ConfigReader r, TrustConfig trust) {
        String backend = r.nonBlank("inference.backend");
        if (!backend.matches("auto|tflite|java")) {
            r.problem("inference.backend", "must be auto, tflite or java, got '" + backend + "'");
        }
        double warning = r.decimal("inference.warning");
        double failure = r.decimal("inference.failure");
        if (!(warning > 0 && warning < failure && failure < 1)) {
            r.problem("inference.failure",
                    "needs 0 < inference.warning < inference.failure < 1, got " + warning + " and "
                            + failure);
        }
        double hysteresis = r.decimal("inference.hysteresis");
        if (hysteresis < 0 || hysteresis >= warning) {
            r.problem("inference.hysteresis", "must be at least 0 and below inference.warning, got " + hysteresis);
        }
        return new InferenceConfig(backend, r.nonBlank("inference.modelName"), r.nonBlank("inference.host"),
                r.port("inference.port"), r.bool("inference.tls"), r.string("inference.username"),
                r.string("inference.password"), r.string("inference.token"), r.string("inference.publicKey"), warning,
                failure, hysteresis, r.integer("inference.confirmWindows", 1, 1000),
                r.integer("inference.servoAngle", 0, 180),
                r.enumValue("inference.source", Source.class), r.nonBlank("inference.groupId"),
                r.integer("inference.statsWindowSeconds", 1, 86_400), platformUrl(r),
                r.longValue("inference.maxModelBytes", 1024, 1L << 31), r.integer("inference.reportSeconds", 0, 3600),
                trust);
    }

    private static String platformUrl(ConfigReader r) {
        String url = r.string("inference.platformUrl");
        if (!url.isEmpty() && !url.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?/?")) {
            r.problem("inference.platformUrl", "must be http(s)://host[:port] with no path, got '" + url + "'");
        }
        return url;
    }
}
