package io.aiotedge.cli;

import io.aiotedge.certs.CertsException;
import io.aiotedge.certs.Issued;
import io.aiotedge.certs.PlantCa;
import io.aiotedge.certs.SubjectNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certs ca} and {@code certs node}: the plant CA and node certificates (docs/security.md). */
@Command(name = "certs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A small plant CA and node certificates for TLS between boards (MQTT, HTTP, Kafka).",
                "Every store's password is the content of DIR/store-password (or --password-file)."},
        subcommands = {CertsCommand.Ca.class, CertsCommand.Node.class})
final class CertsCommand {

    @Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Make the plant CA: DIR/ca.p12 (CA key, keep it off the nodes), DIR/ca.pem (for devices "
                    + "and mosquitto), DIR/truststore.p12 (for tls.trustStore).",
                    "Creates DIR/store-password if missing. Refuses to replace an existing CA."})
    static final class Ca implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The certificate directory.")
        Path dir;

        @Option(names = "--cn", defaultValue = "aiot plant CA",
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String cn;

        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--password-file",
                description = "Read the store password from this file instead of DIR/store-password.")
        Path passwordFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            return run(spec, "CA", () -> new PlantCa(dir, Clock.systemUTC()).create(cn, days, passwordFile));
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Sign a node certificate with DIR's CA: DIR/N.p12 (key + chain, alias N), DIR/N.pem "
                    + "(certificate + CA), DIR/N.key.pem (PKCS#8 key).",
                    "Server and client authentication; at least one --ip or --dns."})
    static final class Node implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The certificate directory (with ca.p12).")
        Path dir;

        @Option(names = "--name", required = true, description = "The node's name: the CN and the file names.")
        String name;

        @Option(names = "--ip", description = "An IP address SAN (repeatable).")
        List<String> ips = new ArrayList<>();

        @Option(names = "--dns", description = "A DNS name SAN (repeatable).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--days", defaultValue = "825", description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--password-file",
                description = "Read the store password from this file instead of DIR/store-password.")
        Path passwordFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            return run(spec, "Node certificate",
                    () -> new PlantCa(dir, Clock.systemUTC()).issueNode(name, new SubjectNames(ips, dns), days,
                            passwordFile));
        }
    }

    interface Step {
        Issued run() throws IOException, GeneralSecurityException;
    }

    /** Runs a step; a request that cannot be carried out is a usage error (exit 2) with its reason. */
    static int run(CommandSpec spec, String what, Step step) throws IOException, GeneralSecurityException {
        Issued issued;
        try {
            issued = step.run();
        } catch (CertsException e) {
            spec.commandLine().getErr().println("certs: " + e.getMessage());
            return AiotEdgeCommand.EXIT_USAGE;
        }
        print(spec.commandLine().getOut(), what, issued);
        return AiotEdgeCommand.EXIT_OK;
    }

    static void print(PrintWriter out, String what, Issued issued) {
        out.println(what + ": " + issued.subject());
        if (!issued.subjectAltNames().isEmpty()) {
            out.println("  SANs:     " + String.join(", ", issued.subjectAltNames()));
        }
        out.println("  expires:  " + issued.notAfter());
        for (Path p : issued.files()) {
            out.println("  wrote     " + p);
        }
        out.println("  password: " + (issued.passwordCreated() ? "created in " : "read from ") + issued.passwordFile());
    }
}
