package io.aiotedge.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aiotedge.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSON Schema named in the config: {@code builtin:<name>} (shipped in the JAR under
 * {@code /schemas/<name>.json}) or a file path. Problems are recorded against the key; the
 * schema's own validity is checked by whoever compiles it.
 */
public final class JsonSchemas {
    public static final String BUILTIN = "builtin:";
    private static final Json JSON = Json.mapper();

    private JsonSchemas() {
    }

    /** The schema's text, or null after recording a problem with {@code key}. */
    static String read(ConfigReader r, String key, String location) {
        String text;
        try {
            text = location.startsWith(BUILTIN) ? builtin(location.substring(BUILTIN.length())) : file(location);
        } catch (java.nio.file.NoSuchFileException e) {
            r.problem(key, "JSON Schema file " + location + " does not exist");
            return null;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            r.problem(key, "cannot read JSON Schema " + location + ": " + e.getMessage());
            return null;
        }
        if (text == null) {
            r.problem(key, "no built-in JSON Schema " + location);
            return null;
        }
        try {
            if (!JSON.readTree(text).isObject()) {
                r.problem(key, "JSON Schema " + location + " must be a JSON object");
                return null;
            }
        } catch (JsonProcessingException e) {
            r.problem(key, "JSON Schema " + location + " is not valid JSON: " + e.getOriginalMessage());
            return null;
        }
        return text;
    }

    private static String builtin(String name) throws IOException {
        if (!name.matches("[a-z0-9-]+")) {
            return null;
        }
        try (InputStream in = JsonSchemas.class.getResourceAsStream("/schemas/" + name + ".json")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String file(String path) throws IOException {
        Path p = Path.of(path);
        if (Files.size(p) > 1 << 20) {
            throw new IOException("larger than 1 MiB");
        }
        return Files.readString(p);
    }
}
