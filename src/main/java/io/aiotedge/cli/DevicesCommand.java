package io.aiotedge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.wire.Json;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiot-edge devices provision|list|revoke}: the device registry through the platform API. */
@Command(name = "devices", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Device registry client (talks to a running platform's API).",
        subcommands = {DevicesCommand.Provision.class, DevicesCommand.ListDevices.class, DevicesCommand.Revoke.class})
final class DevicesCommand {
    private static final Json JSON = Json.mapper();

    @Command(name = "provision", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Provision a device and print its credentials (the secret is shown only now).")
    static final class Provision implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Device id: 1-64 of A-Z a-z 0-9 . _ -")
        String id;
        @Option(names = "--type", description = "Device type (default: sensor).")
        String type;
        @Option(names = "--meta", description = "Metadata entry key=value (repeatable).")
        Map<String, String> meta;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = JSON.createObjectNode().put("id", id);
            if (type != null) {
                body.put("type", type);
            }
            if (meta != null) {
                body.set("metadata", JSON.valueToTree(meta));
            }
            spec.commandLine().getOut().println(ApiClient.pretty(api.postJson("/api/v1/devices", body.toString())));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List devices: id, state, online, last seen, firmware, model.")
    static final class ListDevices implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-24s %-12s %-7s %-15s %-10s %s%n", "ID", "STATE", "ONLINE", "LAST SEEN (ms)",
                    "FIRMWARE", "MODEL");
            for (JsonNode d : api.get("/api/v1/devices?limit=10000").path("devices")) {
                out.printf(Locale.ROOT, "%-24s %-12s %-7s %-15s %-10s %s%n", d.path("id").asText(),
                        d.path("state").asText(),
                        d.path("online").asBoolean(), d.path("lastSeen").asText("-"),
                        d.path("firmwareVersion").asText("-"),
                        d.path("modelVersion").asText("-"));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Revoke a device: its credentials are refused and its live connections dropped.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ApiClient api;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", description = "Device id")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode d = api.postJson(ApiPaths.of("devices", id, "revoke"), "");
            spec.commandLine().getOut().println(d.path("id").asText() + " " + d.path("state").asText());
            return 0;
        }
    }
}
