package io.aiotedge.broker;

import io.aiotedge.config.AclRule;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.wire.TopicNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's allow-list: a principal may publish to a topic or subscribe to a filter only if a
 * rule for its role allows it after {@code {username}} and {@code {clientId}} are substituted. A
 * rule whose substitution value could widen it (contains {@code / + #}) never matches. Immutable;
 * thread-safe.
 */
final class TopicAcl {
    private final List<AclRule> rules;

    TopicAcl(List<AclRule> rules) {
        this.rules = List.copyOf(rules);
    }

    boolean mayPublish(Principal p, String clientId, String topic) {
        return allowed(p, clientId, topic, true);
    }

    boolean maySubscribe(Principal p, String clientId, String filter) {
        return allowed(p, clientId, filter, false);
    }

    private boolean allowed(Principal p, String clientId, String topicOrFilter, boolean publish) {
        for (String pattern : patternsFor(p.role(), publish)) {
            String concrete = substitute(pattern, p.name(), clientId);
            if (concrete != null && TopicMatch.covers(concrete, topicOrFilter)) {
                return true;
            }
        }
        return false;
    }

    private List<String> patternsFor(Role role, boolean publish) {
        List<String> out = new ArrayList<>();
        for (AclRule r : rules) {
            if (r.role() == role) {
                out.addAll(publish ? r.publish() : r.subscribe());
            }
        }
        return out;
    }

    private static String substitute(String pattern, String username, String clientId) {
        String out = pattern;
        if (out.contains("{username}")) {
            if (!TopicNames.isSafeSegment(username)) {
                return null;
            }
            out = out.replace("{username}", username);
        }
        if (out.contains("{clientId}")) {
            if (!TopicNames.isSafeSegment(clientId)) {
                return null;
            }
            out = out.replace("{clientId}", clientId);
        }
        return out;
    }
}
