package io.aiotedge.cli;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.simulator.SimulatorComponent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A simulated motor fleet publishing to any MQTT broker (see docs/simulator.md).",
                "Runs until Ctrl-C/SIGTERM or --seconds; the password is read from AIOT_SIM_PASSWORD."})
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;
    @Option(names = "--port", defaultValue = "1883")
    int port;
    @Option(names = "--username", description = "a service user publishing for every motor")
    String username;
    @Option(names = "--tls", description = "connect with TLS (the JVM's trust store)")
    boolean tls;
    @Option(names = "--motors", defaultValue = "4")
    int motors;
    @Option(names = "--rate", defaultValue = "2", description = "frames per second per motor")
    int rate;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--format", defaultValue = "binary", description = "binary | json | reference")
    String format;
    @Option(names = "--faults", split = ",", description = "per motor, cycling, e.g. healthy,bearing-wear")
    List<String> faults;
    @Option(names = "--onset", defaultValue = "60", description = "simulated seconds before faults start")
    int onset;
    @Option(names = "--seconds", defaultValue = "0", description = "stop after this long; 0 = until signalled")
    int seconds;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<String> sets = new ArrayList<>(List.of("simulator.enabled=true", "simulator.host=" + host,
                "simulator.port=" + port, "simulator.tls=" + tls, "simulator.motors=" + motors,
                "simulator.framesPerSecond=" + rate, "simulator.seed=" + seed, "simulator.format=" + format,
                "simulator.onsetSeconds=" + onset));
        if (username != null) {
            sets.add("simulator.username=" + username);
            sets.add("simulator.password=${ENV:AIOT_SIM_PASSWORD}");
        }
        if (faults != null) {
            sets.add("simulator.faults=[" + String.join(",", faults) + "]");
        }
        NodeConfig config = new ConfigLoader(System::getenv).load(null, sets).config();
        SimulatorComponent sim = new SimulatorComponent(config.simulator(), config.dsp().windowSize(),
                (float) config.dsp().sampleRate(), config.dsp().channels(), new BoundPorts(),
                new SimpleMeterRegistry());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        sim.start();
        spec.commandLine().getOut().printf(Locale.ROOT, "Simulating %d motors into %s:%d; Ctrl-C stops%n", motors, host,
                port);
        spec.commandLine().getOut().flush();
        if (seconds > 0) {
            stop.await(seconds, TimeUnit.SECONDS);
        } else {
            stop.await();
        }
        sim.stop();
        return 0;
    }
}
