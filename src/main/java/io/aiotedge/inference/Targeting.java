package io.aiotedge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.tflite.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices a canary serves with the candidate: a device listed in {@code devices}, every
 * device scored by a node listed in {@code nodes}, or a device whose bucket
 * {@code u32(SHA-256(salt + "\n" + id)[0..4]) % 10000} is below {@code percent * 100}. The answer
 * depends only on the message (salt = the rollout id), so it is the same on every node, after
 * every restart and every Kafka rebalance, and differs between rollouts. Thread-safe (answers are
 * cached per device).
 */
final class Targeting {
    static final Targeting NONE = new Targeting(Set.of(), 0, Set.of(), "");
    private static final int MAX_IDS = 100_000;

    private final Set<String> devices;
    private final double percent;
    private final Set<String> nodes;
    private final String salt;
    private final Map<String, Boolean> cache = new ConcurrentHashMap<>();

    Targeting(Set<String> devices, double percent, Set<String> nodes, String salt) {
        this.devices = Set.copyOf(devices);
        this.percent = percent;
        this.nodes = Set.copyOf(nodes);
        this.salt = salt;
    }

    /** Reads {@code {devices, percent, nodes, salt}}; a missing salt is {@code defaultSalt} (the rollout id). */
    static Targeting parse(JsonNode n, String defaultSalt) throws ModelFormatException {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return new Targeting(Set.of(), 0, Set.of(), defaultSalt);
        }
        if (!n.isObject()) {
            throw new ModelFormatException("rollout targeting is not an object");
        }
        double percent = n.path("percent").asDouble(0);
        if (!n.path("percent").isMissingNode() && !n.path("percent").isNumber() || percent < 0 || percent > 100) {
            throw new ModelFormatException("rollout targeting.percent must be a number from 0 to 100");
        }
        String salt = n.path("salt").isTextual() && !n.path("salt").asText().isEmpty() ? n.path("salt").asText()
                : defaultSalt;
        return new Targeting(ids(n, "devices"), percent, ids(n, "nodes"), salt);
    }

    private static Set<String> ids(JsonNode n, String field) throws ModelFormatException {
        JsonNode list = n.path(field);
        Set<String> out = new LinkedHashSet<>();
        if (list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray() || list.size() > MAX_IDS) {
            throw new ModelFormatException("rollout targeting." + field + " must be a list of at most " + MAX_IDS);
        }
        for (JsonNode id : list) {
            if (!id.isTextual()) {
                throw new ModelFormatException("rollout targeting." + field + " holds a non-string");
            }
            out.add(id.asText());
        }
        return out;
    }

    /** The candidate serves {@code deviceId} when this node ({@code nodeId}) scores it. */
    boolean includes(String deviceId, String nodeId) {
        if (nodes.contains(nodeId) || devices.contains(deviceId)) {
            return true;
        }
        if (percent <= 0) {
            return false;
        }
        return cache.computeIfAbsent(deviceId, id -> bucket(salt, id) < percent * 100);
    }

    /** The device's bucket in [0, 10000) for this salt. */
    static int bucket(String salt, String deviceId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((salt + "\n" + deviceId).getBytes(StandardCharsets.UTF_8));
            long u32 = (h[0] & 0xffL) << 24 | (h[1] & 0xffL) << 16 | (h[2] & 0xffL) << 8 | h[3] & 0xffL;
            return (int) (u32 % 10_000);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> devices() {
        return devices;
    }

    double percent() {
        return percent;
    }

    Set<String> nodes() {
        return nodes;
    }
}
