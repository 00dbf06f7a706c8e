package io.aiotedge.kafka;

import io.aiotedge.config.KafkaRemote;
import io.aiotedge.wire.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The embedded broker's remote listener ({@code kafka.remote.*}): its broker properties, and the
 * SCRAM credentials and ACLs of its users, made to match the config at every start (through the
 * node's own loopback client, a super user). Credentials are kept in the cluster metadata, so a
 * log dir formatted before the listener existed works the same; users no longer configured lose
 * their credentials and ACLs. The node manages every ACL of the embedded broker: ones added by
 * hand are removed at the next start. Stateless.
 *
 * <p>Why {@code super.users=User:ANONYMOUS} is safe: Kafka gives that principal only to a
 * connection that did not authenticate, which here is only possible on the loopback PLAINTEXT
 * and CONTROLLER listeners (their addresses are refused unless loopback). The remote listener is
 * SASL_SSL: a request is served only after SCRAM succeeded, and the principal is then the SCRAM
 * user's name; the name ANONYMOUS is refused in the config and any other SCRAM user is deleted at
 * start. Only an admin user could create one, and admins are super users anyway.
 */
final class RemoteAccess {
    static final String LISTENER = "REMOTE";
    /** Consumer groups an inference user may use ({@code inference.groupId} defaults to aiot-inference). */
    static final String INFERENCE_GROUP_PREFIX = "aiot-inference";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final String SCRAM = "SCRAM-SHA-512";

    private RemoteAccess() {
    }

    /** Adds the listener's security settings, the authorizer and the super users. */
    static void configure(Properties p, KafkaRemote remote) {
        String prefix = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        p.put(prefix + "sasl.enabled.mechanisms", SCRAM);
        p.put(prefix + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(prefix + "ssl.keystore.location", remote.keystorePath().toAbsolutePath().toString());
        p.put(prefix + "ssl.keystore.password", remote.keystorePassword());
        p.put(prefix + "ssl.key.password", remote.keystorePassword());
        p.put(prefix + "ssl.keystore.type",
                remote.keystorePath().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS"
                        : "PKCS12");
        p.put(prefix + "ssl.client.auth", "none");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        List<String> supers = new ArrayList<>(List.of("User:ANONYMOUS"));
        remote.users().stream().filter(u -> u.kind() == KafkaRemote.Kind.ADMIN)
                .forEach(u -> supers.add("User:" + u.name()));
        p.put("super.users", String.join(";", supers));
    }

    /** Makes the cluster's SCRAM credentials and ACLs those of {@code users}. */
    static void apply(Admin admin, List<KafkaRemote.User> users, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> names = users.stream().map(KafkaRemote.User::name).collect(Collectors.toSet());
        Map<String, UserScramCredentialsDescription> existing = admin.describeUserScramCredentials().all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        List<UserScramCredentialAlteration> changes = new ArrayList<>();
        existing.forEach((name, d) -> {
            if (!names.contains(name)) {
                d.credentialInfos().forEach(i -> changes.add(new UserScramCredentialDeletion(name, i.mechanism())));
            }
        });
        for (KafkaRemote.User u : users) {
            changes.add(new UserScramCredentialUpsertion(u.name(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), u.password()));
        }
        admin.alterUserScramCredentials(changes).all().get(timeoutMs, TimeUnit.MILLISECONDS);

        Set<AclBinding> wanted = new HashSet<>();
        users.forEach(u -> wanted.addAll(acls(u)));
        Collection<AclBinding> current = admin.describeAcls(AclBindingFilter.ANY).values()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        List<AclBindingFilter> stale = current.stream().filter(b -> !wanted.contains(b)).map(AclBinding::toFilter)
                .toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        List<AclBinding> missing = wanted.stream().filter(b -> !current.contains(b)).toList();
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * What a user's kind may do. Inference: read telemetry and model announcements in its
     * consumer groups, write alerts and servo commands. Gateway: nothing (it reaches the
     * platform over MQTT, where the broker's ACLs and the bridge's identity checks apply).
     * Admin: a super user, no ACLs needed.
     */
    static List<AclBinding> acls(KafkaRemote.User u) {
        String principal = "User:" + u.name();
        List<AclBinding> out = new ArrayList<>();
        if (u.kind() == KafkaRemote.Kind.INFERENCE) {
            for (String t : List.of(Topics.TELEMETRY, Topics.MODELS)) {
                out.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ));
            }
            out.add(allow(principal, ResourceType.GROUP, INFERENCE_GROUP_PREFIX, PatternType.PREFIXED,
                    AclOperation.READ));
            for (String t : List.of(Topics.ALERTS, Topics.CONTROL)) {
                out.add(allow(principal, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE));
            }
        }
        return out;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
