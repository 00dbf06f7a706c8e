package io.aiotedge.models;

import io.aiotedge.core.Rejection;
import io.aiotedge.storage.ContentStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored model files and their integrity: the content store with its size limit, the
 * re-hash and signature check of a version ({@link #verify}) with the
 * {@code aiot_models_integrity_failures_total} counter, and the cache of files found intact, so a
 * file is checked the first time it is served after a start or after it changed on disk. Safe
 * for concurrent use.
 */
final class ModelFiles {
    // the registry's logger, so the log lines read as they did before this class was split off
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final byte[] TFLITE_ID = {'T', 'F', 'L', '3'};

    private final ContentStore blobs;
    private final long maxModelBytes;
    private final RegistryKey key;
    private final Counter integrityFailures;
    /** sha256/name/version -> file size and mtime when last found intact. */
    private final Map<String, String> intactCache = new ConcurrentHashMap<>();

    ModelFiles(ContentStore blobs, long maxModelBytes, RegistryKey key, MeterRegistry meters) {
        this.blobs = blobs;
        this.maxModelBytes = maxModelBytes;
        this.key = key;
        this.integrityFailures = Counter.builder("aiot_models_integrity_failures_total")
                .description("Stored model files or signatures found not to match their record").register(meters);
    }

    /** Stores an upload; refuses one over {@code models.maxModelBytes} or empty. */
    ContentStore.Stored put(InputStream content) throws IOException {
        ContentStore.Stored stored;
        try {
            stored = blobs.put(content, maxModelBytes);
        } catch (ContentStore.TooLargeException e) {
            throw Rejection.tooLarge("model exceeds " + maxModelBytes + " bytes (models.maxModelBytes)");
        }
        if (stored.size() == 0) {
            throw Rejection.invalid("file", "is empty");
        }
        return stored;
    }

    /** {@code tflite} when the file carries the TFLite identifier, else {@code binary}. */
    static String format(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8);
            boolean tflite = head.length == 8 && head[4] == TFLITE_ID[0] && head[5] == TFLITE_ID[1]
                    && head[6] == TFLITE_ID[2] && head[7] == TFLITE_ID[3];
            return tflite ? "tflite" : "binary";
        }
    }

    ModelRegistry.Verification verify(ModelVersion v) throws IOException {
        boolean intact = blobs.intact(v.sha256());
        boolean sig = ModelSigner.verify(key.running().publicKey(),
                ModelSigner.statement(v.name(), v.version(), v.sha256(), v.size()), v.signature())
                && ModelSigner.verify(key.running().publicKey(), Announcer.metadataStatement(v),
                        v.metadataSignature());
        if (!intact || !sig) {
            integrityFailures.increment();
        }
        return new ModelRegistry.Verification(intact, sig);
    }

    /** See {@link ModelRegistry#content}. */
    Path content(ModelVersion v) throws IOException {
        Path p = blobs.find(v.sha256()).orElseThrow(() -> new IOException("the file of " + v.name() + " v" + v.version()
                + " is missing from the content store"));
        String stamp = Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
        if (!stamp.equals(intactCache.get(v.sha256() + "/" + v.name() + "/" + v.version()))) {
            ModelRegistry.Verification check = verify(v);
            if (!check.ok()) {
                log.error("Model {} v{} fails verification (file intact: {}, signature valid: {}); not serving it",
                        v.name(), v.version(), check.fileIntact(), check.signatureValid());
                throw new IOException("model " + v.name() + " v" + v.version() + " fails verification");
            }
            intactCache.put(v.sha256() + "/" + v.name() + "/" + v.version(), stamp);
        }
        return p;
    }

    /** Deletes the file of {@code sha256}; the caller knows no version refers to it any more. */
    void delete(String sha256) throws IOException {
        blobs.delete(sha256);
        // the keys are sha256/name/version, so this removes nothing; kept as before the split (issue 12)
        intactCache.remove(sha256);
    }

    /** The hashes of every stored file. */
    java.util.Set<String> stored() throws IOException {
        return blobs.list();
    }

    void clear() {
        intactCache.clear();
    }
}
