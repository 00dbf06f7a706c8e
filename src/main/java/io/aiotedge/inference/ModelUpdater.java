package io.aiotedge.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.clients.Trust;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import io.aiotedge.tflite.ModelFormatException;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs announced models: refuses an announcement for another model, one larger than
 * {@code maxModelBytes}, one whose metadata signature (name, version, hash, size, format, schema,
 * quantization) does not verify with the trusted key, and one at or below the served version
 * unless the registry signed it as a rollback; downloads from the configured platform only
 * ({@code <platformUrl>/api/v1/models/<name>/versions/<v>/download}, never a URL from the
 * message) into {@code <dir>/<file>.part}, reading no more than the announced size, resuming with
 * a Range request after an interruption; checks size and sha256; loads and warms the model beside the running one; swaps
 * atomically; keeps the previous one for rollback; and records the installed model in
 * {@code current.json} so a restart reloads it without the network (checked again). Anything that
 * fails leaves the running model in place. One announcement at a time (callers serialise).
 */
final class ModelUpdater {
    private static final Logger log = LoggerFactory.getLogger(ModelUpdater.class);
    private static final Json JSON = Json.mapper();
    static final String CURRENT = "current.json";
    private static final int ATTEMPTS = 4;

    /** Why an announcement was not installed. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final Backend backend;
    private final PublicKey key;
    private final String token;
    private final String platformUrl;
    private final String modelName;
    private final long maxModelBytes;
    private final HttpClient http;
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
        this.http = Trust.http(trust).connectTimeout(Duration.ofSeconds(10)).build();
        this.dir = dir;
        this.backend = backend;
        this.key = key;
        this.token = token;
        this.platformUrl = platformUrl.endsWith("/") ? platformUrl.substring(0, platformUrl.length() - 1) : platformUrl;
        this.modelName = modelName;
        this.maxModelBytes = maxModelBytes;
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
        byte[] model = download(a);
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
        String sha = sha256(model);
        if (model.length != a.size() || !sha.equals(a.sha256())) {
            throw new Rejected(a.name() + " v" + a.version() + ": downloaded " + model.length + " bytes with sha256 "
                    + sha + ", announced " + a.size() + " bytes with " + a.sha256());
        }
        Inference engine;
        try {
            engine = backend.open(model);
        } catch (ModelFormatException e) {
            throw new Rejected(a.name() + " v" + a.version() + " does not load: " + e.getMessage());
        }
        if (engine.inputSize() != a.features().size() || engine.outputSize() != 1) {
            engine.close();
            throw new Rejected(a.name() + " v" + a.version() + ": the model takes " + engine.inputSize()
                    + " inputs and gives " + engine.outputSize() + " outputs; its schema lists " + a.features().size()
                    + " features and one score is expected");
        }
        float warm = engine.predict(new float[engine.inputSize()])[0];
        if (!Float.isFinite(warm)) {
            engine.close();
            throw new Rejected(a.name() + " v" + a.version() + ": warm-up gave " + warm);
        }
        LoadedModel m = new LoadedModel(a.name(), a.version(), a.sha256(), a.features(), engine);
        LoadedModel old = current.getAndSet(m);
        LoadedModel older = previous.getAndSet(old);
        if (older != null && older != old) {
            older.close();
        }
        log.info("Serving {} v{} on the {} backend (was {})", a.name(), a.version(), engine.backend(),
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

    /** Checks that need no download: the model's name and size, the metadata signature, and no downgrade. */
    private void admissible(Announcement a, LoadedModel running) throws Rejected {
        String what = a.name() + " v" + a.version();
        if (!a.name().equals(modelName)) {
            throw new Rejected(what + ": this node follows model " + modelName);
        }
        if (a.size() > maxModelBytes) {
            throw new Rejected(
                    what + ": " + a.size() + " bytes is above inference.maxModelBytes (" + maxModelBytes + ")");
        }
        if (!a.metadataVerifies(key)) {
            throw new Rejected(what + ": the metadata signature does not verify with the trusted key");
        }
        if (running != null && a.version() <= running.version() && !a.rollbackSupersedes(key, running.version())) {
            throw new Rejected(what + " is not newer than the served v" + running.version()
                    + " and carries no signed rollback that supersedes it");
        }
    }

    private byte[] download(Announcement a) throws Rejected {
        String url = platformUrl + "/api/v1/models/" + a.name() + "/versions/" + a.version() + "/download";
        Path part = dir.resolve(fileName(a) + ".part");
        String last = "no attempt";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                PrivateFiles.directory(dir);
                long have = Files.exists(part) ? Files.size(part) : 0;
                if (have > a.size()) {
                    Files.delete(part);
                    have = 0;
                }
                if (have < a.size()) {
                    fetch(url, part, have, a);
                }
                return Files.readAllBytes(part);
            } catch (IOException e) {
                last = e.getMessage();
                log.info("Download of {} v{} interrupted ({}); attempt {} of {}", a.name(), a.version(), last, attempt,
                        ATTEMPTS);
                sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Rejected("interrupted");
            }
        }
        throw new Rejected("cannot download " + a.name() + " v" + a.version() + " from " + url + ": " + last);
    }

    private void fetch(String url, Path part, long have, Announcement a) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2));
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-").header("If-Range", "\"" + a.sha256() + "\"");
        }
        HttpResponse<InputStream> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        boolean append = r.statusCode() == 206;
        if (r.statusCode() != 200 && !append) {
            r.body().close();
            throw new IOException("HTTP " + r.statusCode());
        }
        long want = a.size() - (append ? have : 0);
        try (InputStream in = r.body();
                OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            copyAtMost(in, out, want);
        }
        if (Files.size(part) != a.size()) {
            throw new IOException("got " + Files.size(part) + " of " + a.size() + " bytes");
        }
    }

    /**
     * Copies at most {@code limit} bytes: a body that goes on past the announced size is not read
     * further (the connection is closed), and the sha256 check then decides on what was kept.
     */
    private static void copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = limit;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
            left -= n;
        }
        if (in.read() >= 0) {
            log.warn("The platform sent more than the announced {} bytes; the rest was not read", limit);
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
        return a.name() + "-v" + a.version() + "-" + a.sha256().substring(0, 12) + ".tflite";
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
