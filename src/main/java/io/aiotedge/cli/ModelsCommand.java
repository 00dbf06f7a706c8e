package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.models.ModelSigner;
import io.aiotedge.storage.ContentStore;
import io.aiotedge.wire.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiot-edge models upload|list|promote|pubkey|verify|rollout|lineage}. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Model registry client (talks to a running platform's API; pubkey and verify also work offline).",
        subcommands = {ModelsCommand.Upload.class, ModelsCommand.ListModels.class, ModelsCommand.Promote.class,
                ModelsCommand.PubKey.class, ModelsCommand.Verify.class, RolloutCommand.class,
                LineageCommand.class})
final class ModelsCommand {
    private static final Json JSON = Json.mapper();

    @Command(name = "upload", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Upload a model file as a new version; the registry hashes and signs it.")
    static final class Upload implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", description = "Model file (.tflite)")
        Path file;
        @Option(names = "--metadata", required = true,
                description = "JSON metadata, inline or @file: {\"inputSchema\": {\"features\": [...]}, \"metrics\": {...}, ...}")
        String metadata;
        @Option(names = "--alias", description = "Point this alias (champion, candidate, previous) at the new version.")
        String alias;

        @Override
        public Integer call() throws Exception {
            String meta = metadata.startsWith("@") ? Files.readString(Path.of(metadata.substring(1))) : metadata;
            String path = ApiPaths.of("models", name, "versions")
                    + (alias == null ? "" : "?alias=" + ApiPaths.query(alias));
            JsonNode v = api.upload(path, file, "metadata", meta);
            spec.commandLine().getOut().println(ApiClient.pretty(v));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List models and their aliases, or one model's versions.")
    static final class ListModels implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", description = "Model name: list its versions")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (name == null) {
                for (JsonNode m : api.get("/api/v1/models").path("models")) {
                    out.println(m.path("name").asText() + "  " + m.path("aliases"));
                }
                return 0;
            }
            out.printf(Locale.ROOT, "%-8s %-10s %-12s %-20s %s%n", "VERSION", "SIZE", "FORMAT", "ALIASES", "SHA256");
            for (JsonNode v : api.get(ApiPaths.of("models", name, "versions")).path("versions")) {
                out.printf(Locale.ROOT, "%-8s %-10s %-12s %-20s %s%n", v.path("version").asText(),
                        v.path("size").asText(),
                        v.path("format").asText(), v.path("aliases"), v.path("sha256").asText());
            }
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Point an alias (default champion) at a version; a new champion is announced to the fleet.")
    static final class Promote implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model name")
        String name;
        @Parameters(index = "1", description = "Version number")
        int version;
        @Option(names = "--alias", defaultValue = "champion", description = "Alias (default: ${DEFAULT-VALUE}).")
        String alias;
        @Option(names = "--reason", defaultValue = "", description = "Recorded in the alias history.")
        String reason;

        @Override
        public Integer call() throws Exception {
            String body = JSON.createObjectNode().put("version", version).put("reason", reason).toString();
            JsonNode r = api.putJson(ApiPaths.of("models", name, "aliases", alias), body);
            spec.commandLine().getOut().println(name + ": " + r.path("aliases") + (r.path("announced").asBoolean(true)
                    ? "" : " (announcement not confirmed; re-send with POST " + ApiPaths.of("models", name, "announce")
                            + ")"));
            return 0;
        }
    }

    @Command(name = "pubkey", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the model-signing public key: from <data-dir>/keys if present, else from the API.")
    static final class PubKey implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Option(names = "--pem", description = "PEM (X.509) instead of the raw 32-byte key in base64.")
        boolean pem;

        @Override
        public Integer call() throws Exception {
            PublicKey key = publicKey(api, null);
            spec.commandLine().getOut().println(pem ? ModelSigner.pem(key).strip() : ModelSigner.rawBase64(key));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {
                    "Check a model file's Ed25519 signature. Offline with --name, --model-version and --signature;",
                    "otherwise the registry is asked which versions have this file's sha256. Exit 0 = valid, 1 = not."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Model file")
        Path file;
        @Option(names = "--name", description = "Model name (offline check).")
        String name;
        @Option(names = "--model-version", description = "Model version (offline check).")
        Integer version;
        @Option(names = "--signature", description = "Base64 signature (offline check).")
        String signature;
        @Option(names = "--public-key",
                description = "Public key: raw base64, PEM, or @file (default: <data-dir>/keys, else the API).")
        String publicKey;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String sha = ContentStore.hashOf(file);
            long size = Files.size(file);
            PublicKey key = publicKey(api, publicKey);
            if (name != null && version != null && signature != null) {
                return report(out, ModelSigner.verify(key, ModelSigner.statement(name, version, sha, size), signature),
                        name + " v" + version);
            }
            JsonNode found = api.get("/api/v1/models/by-sha256/" + sha).path("versions");
            boolean any = false;
            for (JsonNode v : found) {
                String label = v.path("name").asText() + " v" + v.path("version").asInt();
                boolean ok = ModelSigner.verify(key, ModelSigner.statement(v.path("name").asText(),
                        v.path("version").asInt(), sha, size), v.path("signature").asText());
                report(out, ok, label);
                any |= ok;
            }
            return any ? 0 : 1;
        }

        private static int report(PrintWriter out, boolean ok, String label) {
            out.println((ok ? "VALID   " : "INVALID ") + label);
            return ok ? 0 : 1;
        }
    }

    static PublicKey publicKey(ApiClient api, String given) throws Exception {
        if (given != null) {
            String text = given.startsWith("@") ? Files.readString(Path.of(given.substring(1)), StandardCharsets.UTF_8)
                    : given;
            return ModelSigner.parsePublicKey(text);
        }
        KeyFiles keys = new KeyFiles(api.dataDir);
        if (api.url == null && Files.exists(keys.signingPublicKey())) {
            return ModelSigner.readPublicKey(keys);
        }
        return ModelSigner.parsePublicKey(api.get("/api/v1/signing-key").path("publicKey").asText());
    }
}
