package io.aiotedge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiotedge.config.KafkaRemote;
import io.aiotedge.support.k8s.KubeManifests;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/strimzi/users.yaml gives the fleet's Kafka users what the embedded broker gives the
 * same kinds (RemoteAccess): inference exactly its ACLs, platform none (the cluster's super user).
 */
class StrimziUsersTest {

    @Test
    void theKafkaUsers_haveTheAclsOfTheirKind_withScram() {
        Map<String, KafkaUser> users = KubeManifests.read(Path.of("deploy/k8s/strimzi/users.yaml")).stream()
                .collect(Collectors.toMap(d -> d.name(), d -> d.as(KafkaUser.class)));
        assertEquals(Set.of("platform", "inference"), users.keySet());
        users.values().forEach(u -> assertEquals(KafkaUserScramSha512ClientAuthentication.class,
                u.getSpec().getAuthentication().getClass()));
        assertEquals(null, users.get("platform").getSpec().getAuthorization(), "a super user");

        Set<String> code = RemoteAccess.acls(new KafkaRemote.User("inference", "x", KafkaRemote.Kind.INFERENCE))
                .stream().map(b -> b.pattern().resourceType() + " " + b.pattern().name() + " "
                        + b.pattern().patternType() + " " + b.entry().operation())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> manifest = new TreeSet<>();
        var authz = (KafkaUserAuthorizationSimple) users.get("inference").getSpec().getAuthorization();
        for (AclRule rule : authz.getAcls()) {
            String resource = rule.getResource() instanceof AclRuleTopicResource t
                    ? "TOPIC " + t.getName() + " " + pattern(t.getPatternType().name())
                    : "GROUP " + ((AclRuleGroupResource) rule.getResource()).getName() + " "
                            + pattern(((AclRuleGroupResource) rule.getResource()).getPatternType().name());
            rule.getOperations().forEach(op -> manifest.add(resource + " " + op.name()));
        }
        assertEquals(code, manifest);
    }

    /** Strimzi's pattern type as Kafka names it. */
    private static String pattern(String strimzi) {
        return strimzi.equals("PREFIX") ? "PREFIXED" : strimzi;
    }
}
