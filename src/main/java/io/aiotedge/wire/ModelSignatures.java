package io.aiotedge.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The model-signature contract shared by the registry (which signs) and every consumer (which
 * verifies), all Ed25519 with the registry's key:
 * <ul>
 *   <li>{@link #statement} ({@code aiot-model-v1}): name, version, sha256 and size; what devices
 *       running the reference-style firmware check;</li>
 *   <li>{@link #metadataStatement} ({@code aiot-model-v2}): the canonical JSON ({@link CanonicalJson})
 *       of everything a consumer acts on: name, version, sha256, size, format, input schema
 *       (features, order, normalisation) and quantization; what inference nodes require;</li>
 *   <li>{@link #rollbackStatement} ({@code aiot-model-rollback-v1}): the registry made an older
 *       version champion again, superseding every version up to {@code supersedes}; the only way a
 *       consumer accepts a version at or below the one it serves.</li>
 * </ul>
 * Stateless.
 */
public final class ModelSignatures {
    /** The 12-byte DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows. */
    public static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private ModelSignatures() {
    }

    public static byte[] statement(String name, int version, String sha256, long size) {
        return ("aiot-model-v1\n" + name + "\n" + version + "\n" + sha256 + "\n" + size + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The fields of a version that {@link #metadataStatement} covers, in the announcement's names. */
    public static final List<String> SIGNED_FIELDS = List.of("name", "version", "sha256", "size",
            "format", "inputSchema", "quantization");

    /**
     * {@code aiot-model-v2\n} + the canonical JSON of the {@link #SIGNED_FIELDS} taken from
     * {@code version} (an announcement or the registry's own record in the same field names); a
     * missing field is signed as null, so it cannot be added later unnoticed.
     */
    public static byte[] metadataStatement(JsonNode version) {
        var signed = JsonNodeFactory.instance.objectNode();
        for (String f : SIGNED_FIELDS) {
            JsonNode v = version.get(f);
            signed.set(f, v == null ? NullNode.getInstance() : v);
        }
        return ("aiot-model-v2\n" + CanonicalJson.write(signed)).getBytes(StandardCharsets.UTF_8);
    }

    /** The registry's word that {@code version} is champion again, replacing versions up to {@code supersedes}. */
    public static byte[] rollbackStatement(String name, int version, String sha256, int supersedes) {
        return ("aiot-model-rollback-v1\n" + name + "\n" + version + "\n" + sha256 + "\n" + supersedes + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code aiot-rollout-v1}: the registry's word that rollout {@code rolloutId} of {@code name}
     * is at {@code stage} (message number {@code seq}) for {@code version} with that content and
     * that targeting ({@link #targetingSha}).
     */
    public static byte[] rolloutStatement(String name, String rolloutId, int seq, int version, String sha256,
            String stage, String targetingSha) {
        return ("aiot-rollout-v1\n" + name + "\n" + rolloutId + "\n" + seq + "\n" + version + "\n" + sha256 + "\n"
                + stage + "\n" + targetingSha + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The hex SHA-256 of the canonical JSON of a rollout's {@code targeting}. */
    public static String targetingSha(JsonNode targeting) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.write(targeting).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The statement a rollout message ({@code {rolloutId, name, stage, seq, candidate: {version,
     * sha256, ..}, targeting}}) must carry a signature over, rebuilt from its fields.
     */
    public static byte[] rolloutStatement(JsonNode message) {
        JsonNode c = message.path("candidate");
        return rolloutStatement(message.path("name").asText(), message.path("rolloutId").asText(),
                nonNegativeInt(message.path("seq")), nonNegativeInt(c.path("version")), c.path("sha256").asText(),
                message.path("stage").asText(), targetingSha(message.path("targeting")));
    }

    /** The number, or -1 (which no statement the registry signs carries) for anything else: no wrap-around. */
    private static int nonNegativeInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0 ? n.asInt() : -1;
    }

    /** True only for a well-formed signature by {@code key} over {@code message}; never throws. */
    public static boolean verify(PublicKey key, byte[] message, String base64Signature) {
        try {
            byte[] sig = Base64.getDecoder().decode(base64Signature);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** Parses a PEM, a base64 X.509 key, or a base64 raw 32-byte key. */
    public static PublicKey parsePublicKey(String text) throws GeneralSecurityException {
        String b64 = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64: " + e.getMessage());
        }
        if (bytes.length == 32) {
            byte[] der = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(bytes, 0, der, X509_PREFIX.length, 32);
            bytes = der;
        }
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(bytes));
    }
}
