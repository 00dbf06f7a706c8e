package io.aiotedge.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The operator's console (docs/console.md): {@code GET /} leads to {@code /console/}, the page
 * ({@code /console} too: the server ignores trailing slashes); its scripts and styles are served from the JAR under
 * {@code /console/<content hash>/} and uPlot from its WebJar under {@code /webjars/}, both cached for
 * a year ({@code immutable}: a new build has a new hash in the path), gzipped by the server. The page
 * itself is never cached and carries a Content-Security-Policy that allows only this origin's
 * scripts, styles and API. The console is a client of the API; this module serves files only.
 * Thread-safe after construction.
 */
public final class ConsoleModule implements HttpModule {
    static final String ASSETS = "console/assets";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final Map<String, byte[]> assets;
    private final String version;
    private final String uplotVersion;
    private final String page;

    /** Reads the assets from the classpath (the JAR), so a missing file fails at start, not in a browser. */
    public ConsoleModule() {
        this.assets = assets();
        this.version = hash(assets);
        this.uplotVersion = webjarVersion("uplot");
        this.page = resource("console/index.html").replace("{{version}}", version).replace("{{uplot}}", uplotVersion);
    }

    /** The path segment that versions the assets: the first 12 hex digits of their SHA-256. */
    public String version() {
        return version;
    }

    public String uplotVersion() {
        return uplotVersion;
    }

    /** Every asset under {@code console/assets}, by file name, sorted. */
    public Map<String, byte[]> assetFiles() {
        return assets;
    }

    @Override
    public void configure(JavalinConfig cfg) {
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = "/console/" + version;
            sf.directory = "/" + ASSETS;
            sf.location = Location.CLASSPATH;
            sf.precompress = true;
            sf.headers = Map.of("Cache-Control", IMMUTABLE, "X-Content-Type-Options", "nosniff");
        });
        cfg.staticFiles.enableWebjars();
    }

    @Override
    public void install(Javalin app) {
        app.get("/", ctx -> ctx.redirect("/console/", HttpStatus.FOUND));
        app.get("/console/", this::page);
    }

    private void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .contentType("text/html; charset=utf-8")
                .result(page);
    }

    private static Map<String, byte[]> assets() {
        URI uri;
        try {
            var url = ConsoleModule.class.getClassLoader().getResource(ASSETS);
            if (url == null) {
                throw new IllegalStateException("the console's assets are not on the classpath (" + ASSETS + ")");
            }
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the console's assets have no usable location: " + e.getMessage());
        }
        if (!"jar".equals(uri.getScheme())) {
            return read(Path.of(uri));
        }
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
            return read(fs.provider().getPath(uri));
        } catch (FileSystemAlreadyExistsException e) {
            return read(FileSystems.getFileSystem(uri).provider().getPath(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> read(Path dir) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(out);
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(files).forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String webjarVersion(String artifact) {
        Properties p = new Properties();
        try (InputStream in = ConsoleModule.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is not on the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleModule.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
