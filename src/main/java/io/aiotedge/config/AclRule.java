package io.aiotedge.config;

import io.aiotedge.core.auth.Role;
import io.aiotedge.wire.TopicNames;
import java.util.List;

/**
 * One allow rule of the broker's topic ACL ({@code mqtt.acl[]}): principals of {@code role} may
 * publish to topics matching {@code publish} and subscribe to filters within {@code subscribe}.
 * Filters may contain {@code {username}} and {@code {clientId}}, replaced per connection.
 * Everything not allowed by some rule is denied.
 */
public record AclRule(Role role, List<String> publish, List<String> subscribe) {
    public AclRule {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    static AclRule read(ConfigReader r) {
        Role role = MqttUser.readRole(r, "role");
        List<String> pub = r.has("publish") ? r.stringList("publish") : List.of();
        List<String> sub = r.has("subscribe") ? r.stringList("subscribe") : List.of();
        check(r, "publish", pub);
        check(r, "subscribe", sub);
        return new AclRule(role, pub, sub);
    }

    private static void check(ConfigReader r, String key, List<String> filters) {
        for (int i = 0; i < filters.size(); i++) {
            String f = filters.get(i).replace("{username}", "x").replace("{clientId}", "x");
            String problem = TopicNames.filterProblem(f);
            if (problem != null) {
                r.problem(key + "[" + i + "]", problem);
            }
        }
    }
}
