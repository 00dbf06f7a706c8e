package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.ModelFormatException;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs announced champions: the {@link ModelFetcher} refuses another model, an oversized one
 * and unsigned metadata, downloads and checks it; this class also refuses a version at or below
 * the served one unless the registry signed it as a rollback; loads and warms the model beside the running one; swaps
 * atomically; keeps the previous one for rollback; and records the installed model in
 * {@code current.json} so a restart reloads it without the network (checked again). Anything that
 * fails leaves the running model in place. One announcement at a time (callers serialise).
 */
final class ModelUpdater {
    private static final Logger log = LoggerFactory.getLogger(ModelUpdater.class);
    private static final Json JSON = Json.mapper();
    static final String CURRENT = "current.json";

    /** Why an announcement was not installed. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final ModelFetcher fetcher;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final AtomicReference<LoadedModel> previous = new AtomicReference<>();

    /**
     * @param token the node's download token (a model-download token, never the admin's)
     * @param platformUrl where models are fetched from, {@code scheme://host:port}
     * @param modelName the only model this node installs
     */
    ModelUpdater(Path dir, Backend backend, PublicKey key, String token, String platformUrl, String modelName,
            long maxModelBytes) {
        this(dir, backend, key, token, platformUrl, modelName, maxModelBytes, TrustConfig.JVM);
    }

    /** @param trust whom an HTTPS {@code platformUrl} is trusted by ({@code tls.trustStore}) */
    ModelUpdater(Path dir, Backend backend, PublicKey key, String token, String platformUrl, String modelName,
            long maxModelBytes, TrustConfig trust) {
        this(dir, new ModelFetcher(backend, key, token, platformUrl, modelName, maxModelBytes, trust));
    }

    ModelUpdater(Path dir, ModelFetcher fetcher) {
        this.dir = dir;
        this.fetcher = fetcher;
    }

    ModelFetcher fetcher() {
        return fetcher;
    }

    LoadedModel current() {
        return current.get();
    }

    /** Reloads the last installed model from disk, verifying it again; false when there is none usable. */
    boolean restore() {
        Path meta = dir.resolve(CURRENT);
        if (!Files.exists(meta)) {
            return false;
        }
        try {
            Announcement a = Announcement.parse(Files.readAllBytes(meta));
            admissible(a, null);
            byte[] model = Files.readAllBytes(dir.resolve(fileName(a)));
            install(a, model);
            log.info("Restored model {} v{} from {}", a.name(), a.version(), dir);
            return true;
        } catch (IOException | ModelFormatException | Rejected e) {
            log.warn("Cannot restore the last model from {}: {}", dir, e.getMessage());
            return false;
        }
    }

    /** Downloads, verifies and installs an announced model; returns it. */
    LoadedModel update(byte[] announcementPayload) throws Rejected {
        return update(announcementPayload, a -> null);
    }

    /**
     * As {@link #update(byte[])}, taking the bytes from {@code local} when it has them (the
     * rollout candidate that became champion: no second download; the hash is checked all the same).
     */
    LoadedModel update(byte[] announcementPayload, java.util.function.Function<Announcement, byte[]> local)
            throws Rejected {
        Announcement a;
        try {
            a = Announcement.parse(announcementPayload);
        } catch (ModelFormatException e) {
            throw new Rejected(e.getMessage());
        }
        LoadedModel running = current.get();
        if (running != null && running.version() == a.version() && running.sha256().equals(a.sha256())) {
            return running;
        }
        admissible(a, running);
        byte[] kept = local.apply(a);
        byte[] model = kept != null ? kept : fetcher.download(a, dir);
        try {
            LoadedModel m;
            try {
                m = install(a, model);
            } catch (Rejected e) {
                Files.deleteIfExists(dir.resolve(fileName(a) + ".part")); // the next try starts clean
                throw e;
            }
            persist(a, announcementPayload, model);
            return m;
        } catch (IOException e) {
            throw new Rejected("cannot keep " + a.name() + " v" + a.version() + " on disk: " + e.getMessage());
        }
    }

    /** Installs a version {@link #admissible} already accepted: checks the bytes, loads, warms, swaps. */
    private LoadedModel install(Announcement a, byte[] model) throws Rejected {
        LoadedModel m = fetcher.load(a, model);
        LoadedModel old = current.getAndSet(m);
        LoadedModel older = previous.getAndSet(old);
        if (older != null && older != old) {
            older.close();
        }
        log.info("Serving {} v{} on the {} backend (was {})", a.name(), a.version(), m.backend(),
                old == null ? "none" : "v" + old.version());
        return m;
    }

    /** Puts the previous model back (after a bad rollout); false when there is none. */
    boolean rollback() {
        LoadedModel p = previous.getAndSet(null);
        if (p == null) {
            return false;
        }
        LoadedModel bad = current.getAndSet(p);
        if (bad != null) {
            bad.close();
        }
        return true;
    }

    /** The fetcher's checks, and no downgrade without a signed rollback. */
    private void admissible(Announcement a, LoadedModel running) throws Rejected {
        fetcher.admissible(a);
        if (running != null && a.version() <= running.version()
                && !a.rollbackSupersedes(fetcher.key(), running.version())) {
            throw new Rejected(a.name() + " v" + a.version() + " is not newer than the served v" + running.version()
                    + " and carries no signed rollback that supersedes it");
        }
    }

    private void persist(Announcement a, byte[] payload, byte[] model) throws IOException {
        Path file = dir.resolve(fileName(a));
        PrivateFiles.write(file, model);
        Files.deleteIfExists(dir.resolve(fileName(a) + ".part"));
        ObjectNode meta = (ObjectNode) JSON.readTree(payload);
        PrivateFiles.write(dir.resolve(CURRENT), JSON.writeValueAsBytes(meta));
        // keep the installed and the previous file; older ones go
        try (var files = Files.list(dir)) {
            List<Path> models = files.filter(p -> p.getFileName().toString().endsWith(".tflite")).toList();
            LoadedModel prev = previous.get();
            for (Path p : models) {
                String n = p.getFileName().toString();
                boolean keep = n.equals(fileName(a))
                        || prev != null && n.startsWith(prev.name() + "-v" + prev.version() + "-");
                if (!keep) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String fileName(Announcement a) {
        return ModelFetcher.fileName(a);
    }
}
