package io.aiotedge.config;

import io.aiotedge.core.auth.Role;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The embedded MQTT broker ({@code mqtt.*}).
 *
 * @param port TCP listener; 0 picks a free port
 * @param tlsPort TLS listener, null = off; needs {@code tls.keystorePath}
 * @param websocketPort WebSocket listener on path {@code /mqtt}, null = off
 * @param allowAnonymous let clients in without credentials (only for {@code demo})
 * @param anonymousRole the role an anonymous client gets; its client id stands for {@code {username}}
 * @param persistence {@code file} keeps sessions and retained messages across restarts
 */
public record MqttConfig(String bindAddress, int port, Integer tlsPort, Integer websocketPort, TlsConfig tls,
        boolean allowAnonymous, Role anonymousRole, Persistence persistence,
        List<MqttUser> users, List<AclRule> acl, MqttLimits limits) {

    public enum Persistence { FILE, IN_MEMORY }

    /** A Java keystore (JKS or PKCS12) holding the listener's key and certificate. */
    public record TlsConfig(Path keystorePath, String keystorePassword, String privateKeyPassword) {
    }

    public MqttConfig {
        users = List.copyOf(users);
        acl = List.copyOf(acl);
    }

    static MqttConfig read(ConfigReader r) {
        Integer tlsPort = r.optionalPort("mqtt.tlsPort");
        String ks = r.optionalString("mqtt.tls.keystorePath");
        String ksPassword = r.string("mqtt.tls.keystorePassword");
        String keyPassword = r.string("mqtt.tls.privateKeyPassword");
        TlsConfig tls = ks == null || ks.isBlank() ? null : new TlsConfig(Path.of(ks), ksPassword, keyPassword);
        if (tlsPort != null && tls == null) {
            r.problem("mqtt.tls.keystorePath", "is required when mqtt.tlsPort is set");
        }
        if (tls != null && !tls.keystorePath().toFile().isFile()) {
            r.problem("mqtt.tls.keystorePath", "no such file: " + tls.keystorePath());
        }
        List<MqttUser> users = r.objects("mqtt.users").stream().map(MqttUser::read).toList();
        Set<String> names = new HashSet<>();
        for (MqttUser u : users) {
            if (!names.add(u.username())) {
                r.problem("mqtt.users", "username '" + u.username() + "' is listed twice");
            }
        }
        return new MqttConfig(r.nonBlank("mqtt.bindAddress"), r.port("mqtt.port"), tlsPort,
                r.optionalPort("mqtt.websocketPort"), tls, r.bool("mqtt.allowAnonymous"),
                MqttUser.readRole(r, "mqtt.anonymousRole"), r.enumValue("mqtt.persistence", Persistence.class),
                users, r.objects("mqtt.acl").stream().map(AclRule::read).toList(),
                MqttLimits.read(r.section("mqtt.limits")));
    }
}
