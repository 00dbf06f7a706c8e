package io.aiotedge.support.fleet;

import io.aiotedge.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Runs {@link FleetProbe}s inside one node's namespace, all at once in one JVM, trusting the plant CA. */
public final class Probes {
    private final Fleet fleet;
    private final String node;

    public Probes(Fleet fleet, String node) {
        this.fleet = fleet;
        this.node = node;
    }

    /** name -> FleetProbe arguments; returns name -> its result line ({@code REFUSED ...} or {@code ACCEPTED ...}). */
    public Map<String, String> run(Map<String, List<String>> probes) throws Exception {
        // the JAR first: the class-data-sharing archive of the JAR needs its classpath as a prefix
        String cp = NodeProcess.jar().toAbsolutePath() + ":"
                + Path.of(FleetProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(fleet.net().exec(node));
        cmd.addAll(NodeProcess.java());
        cmd.addAll(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", cp));
        cmd.addAll(fleet.certs().trustJvmArgs());
        cmd.add(FleetProbe.class.getName());
        String separator = "";
        for (var e : probes.entrySet()) {
            if (!separator.isEmpty()) {
                cmd.add(separator);
            }
            separator = "--";
            cmd.add(e.getKey());
            cmd.addAll(e.getValue());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probes did not finish in 90 s");
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> out = new TreeMap<>();
        for (String name : probes.keySet()) {
            out.put(name, text.lines().filter(l -> l.startsWith(name + " REFUSED") || l.startsWith(name + " ACCEPTED"))
                    .map(l -> l.substring(name.length() + 1)).findFirst().orElse("no result: " + text));
        }
        return out;
    }
}
