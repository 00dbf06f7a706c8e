package io.aiotedge.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The model-signature contract shared by the registry (which signs) and every consumer (which
 * verifies): Ed25519 over the statement {@code aiot-model-v1\n<name>\n<version>\n<sha256>\n<size>\n},
 * binding a signature to one model version. Stateless.
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
