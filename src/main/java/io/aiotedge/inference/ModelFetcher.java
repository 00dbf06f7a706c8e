package io.aiotedge.inference;

import io.aiotedge.clients.Trust;
import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.inference.ModelUpdater.Rejected;
import io.aiotedge.tflite.Backend;
import io.aiotedge.tflite.Inference;
import io.aiotedge.tflite.ModelFormatException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and checks one announced version, for the champion ({@link ModelUpdater}) and the
 * rollout candidate ({@link CandidateSlot}) alike: refuses another model's name, a size above
 * {@code maxModelBytes} and metadata the trusted key did not sign; downloads from the configured
 * platform only ({@code <platformUrl>/api/v1/models/<name>/versions/<v>/download}, never a URL
 * from the message) into {@code <dir>/<file>.part}, reading no more than the announced size and
 * resuming with a Range request after an interruption; then checks size and sha256, loads, checks
 * the shape against the schema and warms up. Keeps no state besides the partial file; callers
 * serialise calls per directory.
 */
final class ModelFetcher {
    private static final Logger log = LoggerFactory.getLogger(ModelFetcher.class);
    private static final int ATTEMPTS = 4;

    private final Backend backend;
    private final PublicKey key;
    private final String token;
    private final String platformUrl;
    private final String modelName;
    private final long maxModelBytes;
    private final HttpClient http;

    ModelFetcher(Backend backend, PublicKey key, String token, String platformUrl, String modelName,
            long maxModelBytes, TrustConfig trust) {
        this.http = Trust.http(trust).connectTimeout(Duration.ofSeconds(10)).build();
        this.backend = backend;
        this.key = key;
        this.token = token;
        this.platformUrl = platformUrl.endsWith("/") ? platformUrl.substring(0, platformUrl.length() - 1) : platformUrl;
        this.modelName = modelName;
        this.maxModelBytes = maxModelBytes;
    }

    PublicKey key() {
        return key;
    }

    String modelName() {
        return modelName;
    }

    /** Checks that need no download: the model's name and size, and the metadata signature. */
    void admissible(Announcement a) throws Rejected {
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
    }

    /** Checks the bytes against the announcement, loads and warms the model; the caller owns the result. */
    LoadedModel load(Announcement a, byte[] model) throws Rejected {
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
        return new LoadedModel(a.name(), a.version(), a.sha256(), a.features(), engine, a.lineageId());
    }

    /** The version's bytes, downloaded into {@code dir} (resuming a partial file). */
    byte[] download(Announcement a, Path dir) throws Rejected {
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

    static String fileName(Announcement a) {
        return a.name() + "-v" + a.version() + "-" + a.sha256().substring(0, 12) + ".tflite";
    }

    static String sha256(byte[] b) {
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
