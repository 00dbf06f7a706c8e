package io.aiotedge.models;

import io.aiotedge.core.KeyFiles;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's Ed25519 signing key: loaded (or created) when the registry starts, held in a
 * volatile field so concurrent readers see it once loaded, and refused before that. Also signs,
 * once at start, the metadata of versions stored before metadata signatures existed.
 */
final class RegistryKey {
    // the registry's logger, so the log lines read as they did before this class was split off
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final KeyFiles keys;
    private volatile ModelSigner signer;

    RegistryKey(KeyFiles keys) {
        this.keys = keys;
    }

    void load() throws IOException, GeneralSecurityException {
        signer = ModelSigner.loadOrCreate(keys);
        log.info("Model signing key {} (Ed25519, raw {})", keys.signingPublicKey(),
                ModelSigner.rawBase64(signer.publicKey()));
    }

    /** The signer; throws when the registry has not been started. */
    ModelSigner running() {
        ModelSigner s = signer;
        if (s == null) {
            throw new IllegalStateException("the model registry is not running");
        }
        return s;
    }

    /**
     * Versions stored by a release before metadata signatures (migration V7) get one now, once:
     * their v1 statement is checked first, so a row changed on disk is not blessed. A champion's
     * retained announcement lacks the new signature, so {@code reannounce} gets its model name.
     */
    void signOlderMetadata(ModelStore store, Consumer<String> reannounce) {
        for (ModelVersion v : store.unsignedMetadata()) {
            if (!ModelSigner.verify(signer.publicKey(), ModelSigner.statement(v.name(), v.version(), v.sha256(),
                    v.size()), v.signature())) {
                log.error("Model {} v{}: its signature does not verify; not signing its metadata", v.name(),
                        v.version());
                continue;
            }
            store.setMetadataSignature(v.name(), v.version(), signer.sign(Announcer.metadataStatement(v)));
            log.info("Signed the metadata of model {} v{} (registered before metadata signatures)", v.name(),
                    v.version());
            if (Integer.valueOf(v.version()).equals(store.aliases(v.name()).get("champion"))) {
                // the retained announcement lacks the new signature: inference nodes would not take it
                reannounce.accept(v.name());
            }
        }
    }
}
