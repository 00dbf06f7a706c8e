package io.aiotedge.core;

import java.nio.file.Path;

/**
 * Where a node keeps its secrets under its data directory, in one place: {@code keys/} (0700,
 * see {@link PrivateFiles}) holds the API admin token and the Ed25519 model-signing key pair.
 * Who writes them: the platform API (the token) and the model registry (the key pair), on a
 * first start; everyone else only reads. Immutable.
 */
public final class KeyFiles {
    private final Path dir;

    /** @param dataDir the node's data directory */
    public KeyFiles(Path dataDir) {
        this.dir = Checks.notNull(dataDir, "Data directory").resolve("keys");
    }

    /** {@code <dataDir>/keys} */
    public Path dir() {
        return dir;
    }

    /** {@code <dataDir>/keys/admin-token}: the generated API admin token (when {@code api.adminToken} is empty) */
    public Path adminToken() {
        return dir.resolve("admin-token");
    }

    /** {@code <dataDir>/keys/model-signing.key}: the model-signing private key, PKCS#8, owner-only */
    public Path signingKey() {
        return dir.resolve("model-signing.key");
    }

    /** {@code <dataDir>/keys/model-signing.pub}: the model-signing public key, X.509 */
    public Path signingPublicKey() {
        return dir.resolve("model-signing.pub");
    }
}
