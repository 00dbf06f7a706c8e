package io.aiotedge.support.fleet;

import io.aiotedge.support.NodeProcess;
import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The plant CA and one certificate per server node (IP SAN = its address), made by the JAR's
 * {@code certs} command as an operator would: {@code certs ca --dir D}, then
 * {@code certs node --dir D --name N --ip A} per node (in parallel). Layout: {@code ca.pem},
 * {@code truststore.p12}, {@code <name>.p12}, one password in {@code store-password}.
 */
public final class FleetCerts {
    private final Path dir;
    private final String password;

    private FleetCerts(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Makes the CA and a certificate for each {@code name -> ip}. */
    public static FleetCerts make(Path dir, Map<String, String> nodes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        certs(List.of("ca", "--dir", dir.toString(), "--cn", "aiot fleet test CA", "--days", "30"));
        List<Process> running = new ArrayList<>();
        for (var e : nodes.entrySet()) {
            running.add(new ProcessBuilder(command(List.of("node", "--dir", dir.toString(), "--name", e.getKey(),
                    "--ip", e.getValue(), "--days", "30"))).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(e.getKey() + "-certs.log").toFile()).start());
        }
        for (Process p : running) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("certs node failed, see " + dir);
            }
        }
        return new FleetCerts(dir, Files.readString(dir.resolve("store-password"), StandardCharsets.UTF_8).trim());
    }

    private static List<String> command(List<String> args) {
        List<String> cmd = NodeProcess.java();
        cmd.addAll(List.of("-Xmx128m", "-jar", NodeProcess.jar().toString(), "certs"));
        cmd.addAll(args);
        return cmd;
    }

    private static void certs(List<String> args) throws IOException, InterruptedException {
        Proc.Result r = Proc.run(60, command(args));
        if (r.exitCode() != 0) {
            throw new IOException("certs " + args.get(0) + " failed: " + r.stdout() + r.stderr());
        }
    }

    public Path keystore(String name) {
        return dir.resolve(name + ".p12");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String password() {
        return password;
    }

    /** JVM options that make {@code truststore.p12} the JVM's trust store (for FleetProbe). */
    public List<String> trustJvmArgs() {
        return List.of("-Djavax.net.ssl.trustStore=" + truststore(), "-Djavax.net.ssl.trustStorePassword=" + password,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }
}
