package io.aiotedge.cli;

import io.aiotedge.bench.BridgeBench;
import io.aiotedge.bench.LoadResult;
import io.aiotedge.bench.LoadSpec;
import io.aiotedge.bench.MqttLoad;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Load tools (see scripts/bench-*.sh).",
        subcommands = {BenchCommand.Mqtt.class, BenchCommand.Bridge.class, BenchCommand.Dsp.class,
                BenchCommand.Gateway.class, BenchCommand.Platform.class, BenchCommand.InferenceCmd.class,
                BenchCommand.Latency.class})
final class BenchCommand {

    @Command(name = "mqtt", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"MQTT load against any broker: N publishers, M subscribers, loss and latency.",
                    "Prints progress every 5 s and a final line; --json prints the result as JSON."})
    static final class Mqtt implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;
        @Option(names = "--port", required = true)
        int port;
        @Option(names = "--username")
        String username;
        @Option(names = "--password")
        String password;
        @Option(names = "--publishers", defaultValue = "8")
        int publishers;
        @Option(names = "--subscribers", defaultValue = "2")
        int subscribers;
        @Option(names = "--qos", defaultValue = "1")
        int qos;
        @Option(names = "--rate", defaultValue = "1000", description = "msg/s per publisher; 0 = unpaced flood")
        int rate;
        @Option(names = "--seconds", defaultValue = "20")
        int seconds;
        @Option(names = "--max-per-publisher", defaultValue = "2000000000")
        long maxPerPublisher;
        @Option(names = "--payload", defaultValue = "256")
        int payload;
        @Option(names = "--topic-prefix", defaultValue = "aiot/v1/bench")
        String topicPrefix;
        @Option(names = "--max-in-flight", defaultValue = "1000")
        int maxInFlight;
        @Option(names = "--json")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            var out = spec.commandLine().getOut();
            LoadSpec ls = new LoadSpec(host, port, username, password, 5, publishers, subscribers, qos, rate, seconds,
                    maxPerPublisher, payload, topicPrefix, maxInFlight);
            LoadResult r = new MqttLoad(ls, line -> {
                spec.commandLine().getErr().println(line);
                spec.commandLine().getErr().flush();
            }).run();
            out.println(json ? r.json() : r.summary());
            out.flush();
            return 0;
        }
    }

    @Command(name = "bridge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"The MQTT -> Kafka bridge in this process (embedded Kafka, bridge, broker) against the",
                    "bare Kafka producer, then a Kafka outage and the spool's replay. Prints a Markdown table."})
    static final class Bridge implements Callable<Integer> {
        @Option(names = "--work-dir", required = true, description = "empty directory for Kafka, spool and broker")
        Path workDir;
        @Option(names = "--publishers", defaultValue = "64")
        int publishers;
        @Option(names = "--seconds", defaultValue = "20")
        int seconds;
        @Option(names = "--payload", defaultValue = "256")
        int payload;
        @Option(names = "--replay-records", defaultValue = "200000")
        int replayRecords;
        @Option(names = "--set", description = "config override key=value for the node (repeatable)")
        java.util.List<String> overrides = new java.util.ArrayList<>();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            new BridgeBench(workDir, publishers, seconds, payload, replayRecords, overrides, line -> {
                out.println(line);
                out.flush();
            }).run();
            return 0;
        }
    }

    @Command(name = "dsp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Feature extraction windows/s on one thread vs the bare JTransforms FFTs of the same",
                    "windows, for 4 x 256 and 4 x 1024 samples. Prints a Markdown table."})
    static final class Dsp implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "10", description = "per measurement")
        double seconds;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var dsp = new io.aiotedge.config.ConfigLoader(System::getenv).load(null, java.util.List.of()).config()
                    .dsp();
            new io.aiotedge.bench.DspBench(dsp, seconds, line -> {
                out.println(line);
                out.flush();
            }).run();
            return 0;
        }
    }

    @Command(name = "platform", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {
                    "Platform: Kafka -> H2 (or PostgreSQL: --jdbc-url) ingest rows/s vs a bare JDBC batch insert,",
                    "and OTA downloads for",
                    "concurrent clients vs Javalin serving the same file statically. Prints a Markdown table."})
    static final class Platform implements Callable<Integer> {
        @Option(names = "--work-dir", required = true, description = "empty directory for the node and databases")
        Path workDir;
        @Option(names = "--rows", defaultValue = "100000")
        int rows;
        @Option(names = "--clients", defaultValue = "100")
        int clients;
        @Option(names = "--seconds", defaultValue = "10")
        int seconds;
        @Option(names = "--jdbc-url", defaultValue = "", description = "an empty PostgreSQL database instead of H2")
        String jdbcUrl;
        @Option(names = "--db-user", defaultValue = "")
        String dbUser;
        @Option(names = "--db-password-file", description = "a file whose first line is the password")
        Path dbPasswordFile;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            String password = dbPasswordFile == null ? ""
                    : java.nio.file.Files.readAllLines(dbPasswordFile, java.nio.charset.StandardCharsets.UTF_8).get(0);
            var storage = new io.aiotedge.config.StorageConfig(jdbcUrl, dbUser, password);
            new io.aiotedge.bench.PlatformBench(workDir, rows, clients, seconds, storage, line -> {
                out.println(line);
                out.flush();
            }).run();
            return 0;
        }
    }

    @Command(name = "inference", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Predictions/s of the java backend vs the TFLite native runtime on the same models, and",
                    "train + quantize + export time. Prints a Markdown table. With --shadow: windows/s of the",
                    "scoring path with the champion alone vs with a rollout candidate in shadow, same run."})
    static final class InferenceCmd implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "3", description = "per backend and model")
        int seconds;
        @Option(names = "--rows", defaultValue = "100000", description = "training rows")
        int rows;
        @Option(names = "--shadow", description = "measure shadow scoring's cost instead")
        boolean shadow;
        @Option(names = "--devices", defaultValue = "1000", description = "devices the windows rotate over (--shadow)")
        int devices;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            var bench = new io.aiotedge.bench.InferenceBench(seconds, rows, line -> {
                out.println(line);
                out.flush();
            });
            if (shadow) {
                bench.shadow(new io.aiotedge.config.ConfigLoader(k -> null).load(null, java.util.List.of()).config()
                        .inference(), devices);
            } else {
                bench.run();
            }
            return 0;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {
                    "Telemetry -> score latency of the inference role for N devices at R Hz, vs the bare broker's",
                    "publish -> delivery latency under the same load. Prints a Markdown table."})
    static final class Latency implements Callable<Integer> {
        @Option(names = "--work-dir", required = true, description = "empty directory for the node")
        Path workDir;
        @Option(names = "--devices", defaultValue = "1000")
        int devices;
        @Option(names = "--hz", defaultValue = "10")
        double hz;
        @Option(names = "--seconds", defaultValue = "20")
        int seconds;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            new io.aiotedge.bench.LatencyBench(workDir, devices, hz, seconds, line -> {
                out.println(line);
                out.flush();
            }).run();
            return 0;
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"The things-gateway end to end (raw frames in over MQTT, telemetry out) vs decode +",
                    "feature extraction alone on the same frames. Prints a Markdown table."})
    static final class Gateway implements Callable<Integer> {
        @Option(names = "--work-dir", required = true, description = "empty directory for the broker")
        Path workDir;
        @Option(names = "--seconds", defaultValue = "10")
        int seconds;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            new io.aiotedge.bench.GatewayBench(workDir, seconds, line -> {
                out.println(line);
                out.flush();
            }).run();
            return 0;
        }
    }
}
