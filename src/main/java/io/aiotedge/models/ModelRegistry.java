package io.aiotedge.models;

import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.ModelCheck;
import io.aiotedge.core.Rejection;
import io.aiotedge.storage.ContentStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers, signs, lists, promotes and deletes model versions. Binaries live in a content store
 * under {@code <dataDir>/models/blobs}; rows in the platform database. Writes are serialised on
 * the instance (one platform node owns its registry); reads are concurrent. Every stored file is
 * re-hashed before it is first served after a start, so a file changed on disk is refused.
 * The parts live in package-private collaborators: {@link ModelFiles} (stored files and their
 * integrity), {@link DownloadCache} (cached reads for downloads), {@link RegistryKey} (the signing
 * key) and {@link ChampionAnnouncements} (announcing a champion, with its rollback statement).
 */
public final class ModelRegistry extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    public static final Set<String> ALIASES = Set.of("champion", "candidate", "previous");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final ModelStore store;
    private final RegistryKey key;
    private final ChampionAnnouncements champions;
    private final Clock clock;
    private final ModelCheck check;
    private final Counter registered;
    private final ModelFiles files;
    private final DownloadCache downloads;
    private final VersionRows rows;
    private final Retention retention;
    private final Counter championChanges;
    private final RolloutMessages rolloutMessages;

    /** A registry that keeps every version (no retention). */
    public ModelRegistry(Supplier<DataSource> db, Path dataDir, Announcer announcer, Supplier<String> baseUrl,
            Clock clock, long maxModelBytes, ModelCheck check, MeterRegistry meters) {
        this(db, dataDir, announcer, baseUrl, clock, maxModelBytes, check, meters, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * @param keepCandidates versions kept besides the aliased, rolling-out and young ones
     *     ({@code models.keepCandidates})
     * @param keepMinAgeMs versions younger than this are never deleted ({@code models.keepMinAgeHours})
     */
    public ModelRegistry(Supplier<DataSource> db, Path dataDir, Announcer announcer, Supplier<String> baseUrl,
            Clock clock, long maxModelBytes, ModelCheck check, MeterRegistry meters, int keepCandidates,
            long keepMinAgeMs) {
        super("models");
        this.store = new ModelStore(db);
        this.key = new RegistryKey(new KeyFiles(dataDir));
        this.champions = new ChampionAnnouncements(announcer, baseUrl, store, key);
        this.clock = clock;
        this.check = check;
        this.registered = Counter.builder("aiot_models_registered_total").description("Model versions registered")
                .register(meters);
        this.files = new ModelFiles(new ContentStore(dataDir.resolve("models").resolve("blobs")), maxModelBytes, key,
                meters);
        this.downloads = new DownloadCache(store);
        this.rows = new VersionRows(db);
        RolloutStore rollouts = new RolloutStore(db);
        this.retention = new Retention(store, rows, files, downloads, rollouts::pinnedVersions, clock,
                keepCandidates == Integer.MAX_VALUE ? Retention.Policy.KEEP_ALL
                        : new Retention.Policy(keepCandidates, keepMinAgeMs));
        this.rolloutMessages = new RolloutMessages(announcer, baseUrl, key);
        this.championChanges = Counter.builder("aiot_models_champion_changes_total")
                .description("Times a model got a new champion (what reached the fleet)").register(meters);
    }

    @Override
    protected void doStart() throws IOException, GeneralSecurityException {
        key.load();
        key.signOlderMetadata(store, this::reannounce);
        retention.sweepOrphans();
        for (String name : store.names()) {
            retention.apply(name);
        }
    }

    @Override
    protected void doStop() {
        files.clear();
        downloads.clear();
    }

    public PublicKey publicKey() {
        return key.running().publicKey();
    }

    /** Stores, hashes, signs and records a new version; it gets no alias. */
    public synchronized ModelVersion register(String name, InputStream content, ModelMetadata meta, String actor)
            throws IOException {
        ModelSigner s = key.running();
        requireName(name);
        ContentStore.Stored stored = files.put(content);
        int version = store.nextVersion(name);
        String fileName = fileName(name, version, meta.fileName());
        String format = ModelFiles.format(stored.path());
        String sig = s.sign(ModelSigner.statement(name, version, stored.sha256(), stored.size()));
        ModelVersion unsigned = new ModelVersion(name, version, stored.sha256(), stored.size(), fileName, format, sig,
                null, meta.inputSchema(), meta.quantization(), meta.metrics(), meta.lineage(), meta.tags(),
                clock.millis(), actor, List.of());
        ModelVersion v = unsigned.withMetadataSignature(s.sign(Announcer.metadataStatement(unsigned)));
        store.insert(v);
        registered.increment();
        log.info("Registered model {} v{} ({} bytes, sha256 {}, {}) by {}", name, version, stored.size(),
                stored.sha256(), format, actor);
        applyRetention(name);
        return v;
    }

    /** Deletes what {@code models.keepCandidates} / {@code keepMinAgeHours} no longer keep; never throws. */
    public synchronized List<Integer> applyRetention(String name) {
        try {
            return retention.apply(name);
        } catch (IOException | RuntimeException e) {
            log.warn("Retention of model {} failed (will retry after the next register): {}", name, e.toString());
            return List.of();
        }
    }

    RolloutMessages rolloutMessages() {
        return rolloutMessages;
    }

    /** Removes the {@code candidate} alias when it points at {@code version} (a rollout ended without it). */
    public synchronized void clearCandidate(String name, int version, String actor, String reason) {
        if (Integer.valueOf(version).equals(store.aliases(name).get("candidate"))) {
            Map<String, Integer> clear = new LinkedHashMap<>();
            clear.put("candidate", null);
            store.changeAliases(name, clear, actor, clock.millis(), reason);
            downloads.aliasesChanged(name);
        }
    }

    /** Marks a version {@code rejected} with the reason; the pipeline never promotes it again. */
    public synchronized void reject(String name, int version, String reason, String actor) {
        get(name, version);
        rows.reject(name, version, reason + " (by " + actor + ")", clock.millis());
        log.warn("Model {} v{} rejected by {}: {}", name, version, actor, reason);
    }

    public List<String> names() {
        return store.names();
    }

    public List<ModelVersion> versions(String name) {
        requireName(name);
        Map<Integer, List<String>> aliasesByVersion = aliasesByVersion(name);
        List<ModelVersion> out = new ArrayList<>();
        for (ModelVersion v : store.versionsOf(name)) {
            out.add(withAliases(v, aliasesByVersion));
        }
        if (out.isEmpty()) {
            throw Rejection.notFound("model " + name);
        }
        return out;
    }

    public ModelVersion get(String name, int version) {
        requireName(name);
        ModelVersion v = store.find(name, version)
                .orElseThrow(() -> Rejection.notFound("model " + name + " v" + version));
        return withAliases(v, aliasesByVersion(name));
    }

    /**
     * A version number or alias for serving a download: answered from memory after the first
     * request (the rows are immutable; alias changes and deletes clear the cache), without the
     * {@code aliases} list.
     */
    public ModelVersion forDownload(String name, String versionOrAlias) {
        requireName(name);
        return downloads.find(name, versionOrAlias);
    }

    /** A version number or an alias name. */
    public ModelVersion resolve(String name, String versionOrAlias) {
        requireName(name);
        if (ALIASES.contains(versionOrAlias)) {
            Integer v = store.aliases(name).get(versionOrAlias);
            if (v == null) {
                throw Rejection.notFound("alias " + versionOrAlias + " of model " + name);
            }
            return get(name, v);
        }
        try {
            return get(name, Integer.parseInt(versionOrAlias));
        } catch (NumberFormatException e) {
            throw Rejection.invalid("version", "must be a version number or one of " + ALIASES);
        }
    }

    public ModelVersion byFileName(String fileName) {
        return store.findByFileName(fileName).orElseThrow(() -> Rejection.notFound("model file " + fileName));
    }

    public List<ModelVersion> bySha256(String sha256) {
        return store.findBySha(sha256);
    }

    public Map<String, Integer> aliases(String name) {
        requireName(name);
        return store.aliases(name);
    }

    public List<AliasChange> history(String name) {
        requireName(name);
        return store.history(name);
    }

    /**
     * Points {@code alias} at {@code version}. Promoting a champion moves the old champion to
     * {@code previous}, clears {@code candidate} if it pointed at the new champion, and announces
     * the new champion; the returned future completes when the announcement is sent.
     */
    public synchronized CompletableFuture<Void> setAlias(String name, String alias, int version, String actor,
            String reason) {
        if (!ALIASES.contains(alias)) {
            throw Rejection.invalid("alias", "must be one of " + ALIASES);
        }
        ModelVersion target = get(name, version);
        requireServable(target, alias);
        Map<String, Integer> before = store.aliases(name);
        Map<String, Integer> changes = new LinkedHashMap<>();
        changes.put(alias, version);
        boolean newChampion = alias.equals("champion") && !Integer.valueOf(version).equals(before.get("champion"));
        if (newChampion && before.get("champion") != null) {
            changes.put("previous", before.get("champion"));
        }
        if (newChampion && Integer.valueOf(version).equals(before.get("candidate"))) {
            changes.put("candidate", null);
        }
        store.changeAliases(name, changes, actor, clock.millis(), reason == null ? "" : reason);
        downloads.aliasesChanged(name);
        log.info("Model {}: {} -> v{} by {}", name, alias, version, actor);
        if (newChampion) {
            championChanges.increment();
            return champions.announce(get(name, version));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** An alias names a model the fleet can load: parsed, opened and run once here first. */
    private void requireServable(ModelVersion v, String alias) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(content(v));
        } catch (IOException e) {
            throw Rejection.conflict("model " + v.name() + " v" + v.version() + " cannot be read: " + e.getMessage());
        }
        check.problem(bytes, v.inputSchema().get("features").size()).ifPresent(p -> {
            throw Rejection.conflict("model " + v.name() + " v" + v.version() + " cannot be made " + alias + ": " + p);
        });
    }

    /** Re-sends the champion's announcement (e.g. after the retained message was cleared). */
    public CompletableFuture<Void> reannounce(String name) {
        ModelVersion champion = resolve(name, "champion");
        return champions.announce(champion);
    }

    /** Deletes a version that no alias points at; the champion can never be deleted. */
    public synchronized void delete(String name, int version) throws IOException {
        ModelVersion v = get(name, version);
        if (v.aliases().contains("champion")) {
            throw Rejection.conflict("model " + name + " v" + version + " is the champion and cannot be deleted");
        }
        Map<String, Integer> clear = new LinkedHashMap<>();
        v.aliases().forEach(a -> clear.put(a, null));
        if (!clear.isEmpty()) {
            store.changeAliases(name, clear, "system", clock.millis(), "version " + version + " deleted");
        }
        store.delete(name, version);
        downloads.deleted(name, version);
        if (store.findBySha(v.sha256()).isEmpty()) {
            files.delete(v.sha256());
        }
        log.info("Deleted model {} v{}", name, version);
    }

    /** Integrity of one version: the file's hash and the signature over its statement. */
    public record Verification(boolean fileIntact, boolean signatureValid) {
        public boolean ok() {
            return fileIntact && signatureValid;
        }
    }

    public Verification verify(ModelVersion v) throws IOException {
        return files.verify(v);
    }

    /**
     * The stored file of a version, checked against its hash and signature the first time it is
     * served after a start or after the file changed; throws when it no longer matches.
     */
    public Path content(ModelVersion v) throws IOException {
        return files.content(v);
    }

    private String fileName(String name, int version, String requested) {
        if (requested != null && !store.fileNameTaken(requested)) {
            return requested;
        }
        if (requested != null) {
            int dot = requested.lastIndexOf('.');
            return dot > 0 ? requested.substring(0, dot) + "-v" + version + requested.substring(dot)
                    : requested + "-v" + version;
        }
        return name + "-v" + version + ".tflite";
    }

    private Map<Integer, List<String>> aliasesByVersion(String name) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        store.aliases(name).forEach((alias, v) -> out.computeIfAbsent(v, k -> new ArrayList<>()).add(alias));
        return out;
    }

    private static ModelVersion withAliases(ModelVersion v, Map<Integer, List<String>> byVersion) {
        return v.withAliases(byVersion.getOrDefault(v.version(), List.of()));
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw Rejection.invalid("name", "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit");
        }
    }
}
