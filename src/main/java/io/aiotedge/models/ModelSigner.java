package io.aiotedge.models;

import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.wire.ModelSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The node's Ed25519 model-signing key (JDK built-in), generated on first use where
 * {@link KeyFiles} says ({@code <dataDir>/keys/model-signing.key}, PKCS#8, owner-only;
 * {@code model-signing.pub}, X.509). What is signed is the {@link #statement} of a version, binding name, version, hash and
 * size, so a signature cannot be moved to another model or version. Immutable once loaded;
 * thread-safe.
 */
public final class ModelSigner {
    /** The 12-byte DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows. */
    private static final int X509_PREFIX = 12;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private ModelSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key pair from {@code keys}, creating it if absent. */
    public static ModelSigner loadOrCreate(KeyFiles keys) throws IOException, GeneralSecurityException {
        Path key = keys.signingKey();
        Path pub = keys.signingPublicKey();
        if (Files.exists(key)) {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(key)));
            PublicKey p = kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            return new ModelSigner(priv, p);
        }
        PrivateFiles.directory(keys.dir());
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        writeOwnerOnly(key, kp.getPrivate().getEncoded());
        PrivateFiles.write(pub, kp.getPublic().getEncoded());
        return new ModelSigner(kp.getPrivate(), kp.getPublic());
    }

    /** Reads only the public key (for {@code models pubkey --data-dir}). */
    public static PublicKey readPublicKey(KeyFiles keys) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(
                new X509EncodedKeySpec(Files.readAllBytes(keys.signingPublicKey())));
    }

    /** The text that is signed for a model version ({@link ModelSignatures#statement}). */
    public static byte[] statement(String name, int version, String sha256, long size) {
        return ModelSignatures.statement(name, version, sha256, size);
    }

    /** Base64 of the 64-byte Ed25519 signature. */
    public String sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** True only for a well-formed signature by {@code key} over {@code message}; never throws. */
    public static boolean verify(PublicKey key, byte[] message, String base64Signature) {
        return ModelSignatures.verify(key, message, base64Signature);
    }

    /** The raw 32-byte public key, base64 (what an MCU's Ed25519 library takes). */
    public static String rawBase64(PublicKey key) {
        byte[] der = key.getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, X509_PREFIX, der.length));
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Parses a PEM, a base64 X.509 key, or a base64 raw 32-byte key. */
    public static PublicKey parsePublicKey(String text) throws GeneralSecurityException {
        return ModelSignatures.parsePublicKey(text);
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
