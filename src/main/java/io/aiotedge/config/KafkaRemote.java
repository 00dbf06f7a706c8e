package io.aiotedge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The embedded broker's listener for other boards ({@code kafka.remote.*}): SASL_SSL with
 * SCRAM-SHA-512, one user per board, ACLs by the user's kind. Off while {@code port} is null.
 *
 * @param port the listener's port, 0 = a free one, null = no remote listener
 * @param bindAddress the listener's address
 * @param advertisedHost the host name remote clients are told to use
 * @param keystorePath PKCS#12 or JKS keystore with the listener's key and certificate
 * @param keystorePassword the keystore's (and its key's) password
 * @param users the SCRAM users; their credentials are set at every start, users no longer
 *     listed are removed
 */
public record KafkaRemote(Integer port, String bindAddress, String advertisedHost, Path keystorePath,
        String keystorePassword, List<User> users) {

    /** What a remote user may do (ACLs on the aiot topics; gateway: nothing, it talks MQTT). */
    public enum Kind {
        INFERENCE, GATEWAY, ADMIN
    }

    /** One SCRAM user; {@code password} is a secret ({@code ${ENV:...}}). */
    public record User(String name, String password, Kind kind) {
        @Override
        public String toString() {
            return "User[" + name + ", kind=" + ConfigReader.kebab(kind) + "]";
        }
    }

    public KafkaRemote {
        users = List.copyOf(users);
    }

    public boolean enabled() {
        return port != null;
    }

    @Override
    public String toString() {
        return "KafkaRemote[port=" + port + ", bindAddress=" + bindAddress + ", users=" + users + "]";
    }

    static KafkaRemote read(ConfigReader r, boolean embedded) {
        Integer port = r.optionalPort("kafka.remote.port");
        String ks = r.optionalString("kafka.remote.keystorePath");
        Path keystore = ks == null || ks.isBlank() ? null : Path.of(ks);
        List<User> users = r.objects("kafka.remote.users").stream().map(KafkaRemote::readUser).toList();
        KafkaRemote remote = new KafkaRemote(port, r.nonBlank("kafka.remote.bindAddress"),
                r.nonBlank("kafka.remote.advertisedHost"), keystore, r.string("kafka.remote.keystorePassword"), users);
        if (port != null) {
            remote.check(r, embedded);
        }
        return remote;
    }

    private void check(ConfigReader r, boolean embedded) {
        if (!embedded) {
            r.problem("kafka.remote.port", "needs kafka.mode embedded (it is a listener of the embedded broker)");
        }
        if (keystorePath == null) {
            r.problem("kafka.remote.keystorePath",
                    "is required when kafka.remote.port is set (the listener is TLS only)");
        } else if (!keystorePath.toFile().isFile()) {
            r.problem("kafka.remote.keystorePath", "no such file: " + keystorePath);
        }
        if (keystorePassword.isEmpty()) {
            r.problem("kafka.remote.keystorePassword", "is required when kafka.remote.port is set");
        }
        if (users.isEmpty()) {
            r.problem("kafka.remote.users", "must list at least one user when kafka.remote.port is set "
                    + "(a listener without users would refuse everyone)");
        }
        Set<String> names = new HashSet<>();
        for (User u : users) {
            if (!names.add(u.name())) {
                r.problem("kafka.remote.users", "name '" + u.name() + "' is listed twice");
            }
        }
    }

    private static User readUser(ConfigReader r) {
        String name = r.nonBlank("name");
        if (!name.isEmpty() && !name.matches("[A-Za-z0-9._-]{1,64}")) {
            r.problem("name", "must be 1-64 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        }
        if (name.toUpperCase(Locale.ROOT).equals("ANONYMOUS")) {
            // User:ANONYMOUS is the loopback listener's principal, a super user
            r.problem("name", "must not be ANONYMOUS (reserved for the node's own loopback clients)");
        }
        String password = r.string("password");
        if (password.length() < 12) {
            r.problem("password", "must be at least 12 characters (use ${ENV:...})");
        }
        return new User(name, password, r.enumValue("kind", Kind.class));
    }

    /** True for 127.0.0.0/8, ::1 and {@code localhost}; never asks DNS. */
    static boolean isLoopback(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (a.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!a.matches("[0-9.]+") && !a.contains(":")) {
            return false; // a host name: it could resolve to anything
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
