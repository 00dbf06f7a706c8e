package io.aiotedge.support.fleet;

import io.aiotedge.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs {@link FleetProbe}s inside one node's namespace, all at once, trusting the plant CA. */
public final class Probes {
    private final Fleet fleet;
    private final String node;

    public Probes(Fleet fleet, String node) {
        this.fleet = fleet;
        this.node = node;
    }

    /** name -> FleetProbe arguments; returns name -> its result line ({@code REFUSED ...} or {@code ACCEPTED ...}). */
    public Map<String, String> run(Map<String, List<String>> probes) throws Exception {
        String cp = Path.of(FleetProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + ":"
                + NodeProcess.jar().toAbsolutePath();
        Map<String, Process> running = new HashMap<>();
        for (var e : probes.entrySet()) {
            List<String> cmd = new ArrayList<>(fleet.net().exec(node));
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", cp));
            cmd.addAll(fleet.certs().trustJvmArgs());
            cmd.add(FleetProbe.class.getName());
            cmd.addAll(e.getValue());
            running.put(e.getKey(), new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }
        Map<String, String> out = new TreeMap<>();
        for (var e : running.entrySet()) {
            if (!e.getValue().waitFor(60, TimeUnit.SECONDS)) {
                e.getValue().destroyForcibly();
                throw new AssertionError(e.getKey() + " probe did not finish in 60 s");
            }
            String text = new String(e.getValue().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            out.put(e.getKey(), text.lines().filter(l -> l.startsWith("REFUSED") || l.startsWith("ACCEPTED"))
                    .findFirst().orElse("no result: " + text));
        }
        return out;
    }
}
