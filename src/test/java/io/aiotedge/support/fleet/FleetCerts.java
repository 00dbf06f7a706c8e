package io.aiotedge.support.fleet;

import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A plant CA and one certificate per server node (IP SAN = its address), in the layout of the
 * {@code certs} command: {@code ca.pem}, {@code truststore.p12}, {@code <name>.p12} (key and chain
 * under alias name) and {@code store-password}. Made with the JDK's keytool.
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
        byte[] pw = new byte[18];
        new SecureRandom().nextBytes(pw);
        FleetCerts c = new FleetCerts(dir, Base64.getUrlEncoder().withoutPadding().encodeToString(pw));
        Files.writeString(dir.resolve("store-password"), c.password, StandardCharsets.UTF_8);
        c.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=aiot fleet test CA", "-ext", "bc:c", "-validity", "30", "-keystore", c.file("ca.p12"),
                "-storetype", "PKCS12");
        c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", c.file("ca.p12"), "-file", c.file("ca.pem"));
        c.keytool("-importcert", "-noprompt", "-alias", "aiot-ca", "-file", c.file("ca.pem"), "-keystore",
                c.file("truststore.p12"), "-storetype", "PKCS12");
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = new ArrayList<>();
        nodes.forEach((name, ip) -> threads.add(new Thread(() -> {
            try {
                c.node(name, ip);
            } catch (IOException | InterruptedException e) {
                synchronized (errors) {
                    errors.add(e);
                }
            }
        }, "cert-" + name)));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new IOException("certificate generation failed", errors.get(0));
        }
        return c;
    }

    private void node(String name, String ip) throws IOException, InterruptedException {
        String ks = file(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "30", "-keystore", ks, "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", ks, "-file", file(name + ".csr"));
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", file("ca.p12"), "-infile", file(name + ".csr"),
                "-outfile", file(name + ".crt"), "-validity", "30", "-ext", "san=ip:" + ip, "-ext",
                "eku=serverAuth,clientAuth", "-ext", "ku=digitalSignature,keyEncipherment");
        keytool("-importcert", "-noprompt", "-alias", "aiot-ca", "-file", file("ca.pem"), "-keystore", ks);
        keytool("-importcert", "-alias", name, "-file", file(name + ".crt"), "-keystore", ks);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", password));
        Proc.Result r = Proc.run(60, cmd);
        if (r.exitCode() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + r.stdout() + r.stderr());
        }
    }

    private String file(String name) {
        return dir.resolve(name).toString();
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

    /** JVM options that make {@code truststore.p12} the JVM's trust store (until tls.trustStore exists). */
    public List<String> trustJvmArgs() {
        return List.of("-Djavax.net.ssl.trustStore=" + truststore(), "-Djavax.net.ssl.trustStorePassword=" + password,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }
}
