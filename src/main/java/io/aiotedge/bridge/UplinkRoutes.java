package io.aiotedge.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.aiotedge.config.UplinkMapping;
import io.aiotedge.core.mqtt.InboundPublish;
import io.aiotedge.wire.Json;
import io.aiotedge.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an MQTT publish into the Kafka record of the first {@code bridge.uplink} mapping whose
 * filter matches, after checking the mapping's payload rules; a publish that breaks them becomes
 * a dead-letter record carrying the reason. Immutable and thread-safe.
 */
final class UplinkRoutes {

    /** A record for Kafka, or one for the dead-letter topic with why. */
    sealed interface Decision permits Forward, DeadLetter {
    }

    record Forward(SpoolRecord record) implements Decision {
    }

    record DeadLetter(SpoolRecord record, String reason) implements Decision {
    }

    private final List<Route> routes;
    private final Json json = Json.mapper();
    private final MessageIds ids;

    UplinkRoutes(List<UplinkMapping> mappings, MessageIds ids) {
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        List<Route> r = new ArrayList<>();
        mappings.forEach(m -> r.add(new Route(m, schemas)));
        this.routes = List.copyOf(r);
        this.ids = ids;
    }

    boolean matches(String topic) {
        return route(topic.split("/", -1), topic.startsWith("$")) != null;
    }

    /** The decision for a publish whose topic {@link #matches}. */
    Decision decide(InboundPublish p) {
        String[] levels = p.topic().split("/", -1);
        Route route = route(levels, p.topic().startsWith("$"));
        if (route == null) {
            throw new IllegalArgumentException("no uplink mapping for " + p.topic());
        }
        List<SpoolRecord.Header> headers = RecordHeaders.of(p, ids.next());
        UplinkMapping m = route.mapping;
        if (m.maxPayloadBytes() > 0 && p.payload().length > m.maxPayloadBytes()) {
            return deadLetter(p, m, headers, "payload of " + p.payload().length + " bytes exceeds the limit of "
                    + m.maxPayloadBytes() + " for " + m.mqtt());
        }
        JsonNode doc = null;
        if (m.payload() == UplinkMapping.Payload.JSON) {
            try {
                doc = json.readTree(p.payload());
            } catch (JsonProcessingException e) {
                return deadLetter(p, m, headers, "payload is not valid JSON: " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                return deadLetter(p, m, headers, "payload is not valid JSON: " + e.getMessage());
            }
            if (doc == null || !doc.isObject()) {
                return deadLetter(p, m, headers, "payload must be a JSON object");
            }
            for (String f : m.requiredFields()) {
                if (!doc.hasNonNull(f)) {
                    return deadLetter(p, m, headers, "payload lacks the required field '" + f + "'");
                }
            }
            if (route.schema != null) {
                List<Error> errors = route.schema.validate(doc);
                if (!errors.isEmpty()) {
                    return deadLetter(p, m, headers, "payload does not match " + m.schema() + ": " + describe(errors));
                }
            }
        }
        String key = route.key(p, levels, doc);
        if (key == null) {
            return deadLetter(p, m, headers, "no record key: " + m.key() + " is missing or not a string or number");
        }
        String impostor = route.identityProblem(p, levels, doc, key);
        if (impostor != null) {
            return deadLetter(p, m, headers, impostor);
        }
        return new Forward(new SpoolRecord(m.kafka(), key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8),
                p.payload(), headers));
    }

    private static String describe(List<Error> errors) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, errors.size()); i++) {
            Error e = errors.get(i);
            String at = e.getInstanceLocation().toString();
            b.append(i == 0 ? "" : "; ").append(at.isEmpty() ? "(root)" : at).append(": ")
                    .append(e.getMessage().strip());
        }
        if (errors.size() > 3) {
            b.append("; and ").append(errors.size() - 3).append(" more");
        }
        return b.toString();
    }

    private static DeadLetter deadLetter(InboundPublish p, UplinkMapping m, List<SpoolRecord.Header> headers,
            String reason) {
        List<SpoolRecord.Header> h = new ArrayList<>(headers);
        h.add(RecordHeaders.header(RecordHeaders.ERROR, reason));
        h.add(RecordHeaders.header(RecordHeaders.INTENDED_TOPIC, m.kafka()));
        return new DeadLetter(new SpoolRecord(Topics.DEADLETTER, p.clientId().getBytes(StandardCharsets.UTF_8),
                p.payload(), h), reason);
    }

    private Route route(String[] topicLevels, boolean system) {
        for (Route r : routes) {
            if (r.matches(topicLevels, system)) {
                return r;
            }
        }
        return null;
    }

    /** A compiled mapping: filter levels, the placeholder's level, the key rule. */
    private static final class Route {
        private final UplinkMapping mapping;
        private final String[] levels;
        private final int placeholderLevel;
        private final Schema schema;

        Route(UplinkMapping mapping, SchemaRegistry schemas) {
            this.mapping = mapping;
            this.schema = mapping.schemaJson() == null ? null
                    : schemas.getSchema(mapping.schemaJson(), InputFormat.JSON);
            this.levels = mapping.mqtt().split("/", -1);
            int at = -1;
            for (int i = 0; i < levels.length; i++) {
                if (levels[i].startsWith("{") && levels[i].endsWith("}")) {
                    at = i;
                    levels[i] = "+";
                }
            }
            this.placeholderLevel = at;
        }

        /** MQTT matching; {@code system}: the topic starts with '$', which wildcards do not match. */
        boolean matches(String[] t, boolean system) {
            if (system && (levels[0].equals("+") || levels[0].equals("#"))) {
                return false;
            }
            for (int i = 0; i < levels.length; i++) {
                if (levels[i].equals("#")) {
                    return true;
                }
                if (i >= t.length || !levels[i].equals("+") && !levels[i].equals(t[i])) {
                    return false;
                }
            }
            return t.length == levels.length;
        }

        /**
         * Why the publish claims an identity that is not its sender's, or null. The topic's
         * placeholder is the identity (the ACL ties it to a device principal): a JSON payload
         * field of the same name must equal it. A device's record key must be the device itself,
         * whatever rule made it (e.g. the reference firmware's {@code json:deviceID}). Service
         * principals may publish for any device, under that device's topic.
         */
        String identityProblem(InboundPublish p, String[] topicLevels, JsonNode doc, String key) {
            io.aiotedge.core.auth.Principal who = p.principal();
            if (placeholderLevel >= 0) {
                String name = mapping.placeholder();
                String topicId = topicLevels[placeholderLevel];
                JsonNode claimed = doc == null ? null : doc.get(name);
                if (claimed != null && !claimed.isNull() && !claimed.asText().equals(topicId)) {
                    return "payload " + name + " '" + shorten(claimed.asText()) + "' differs from the topic's {"
                            + name + "} '" + topicId + "'";
                }
                if (who.role().isDevice() && !topicId.equals(who.name())) {
                    return "topic names {" + name + "} '" + topicId + "' but the publisher is device '"
                            + who.name() + "'";
                }
            }
            if (who.role().isDevice() && !key.isEmpty() && !mapping.key().equals("clientId")
                    && !key.equals(who.name())) {
                return "record key " + mapping.key() + " '" + shorten(key) + "' is not the publishing device '"
                        + who.name() + "'";
            }
            return null;
        }

        private static String shorten(String s) {
            return s.length() <= 64 ? s : s.substring(0, 64) + "...";
        }

        /** The key ("" = none), or null when the rule finds none. */
        String key(InboundPublish p, String[] topicLevels, JsonNode doc) {
            String k = mapping.key();
            if (k.equals("none")) {
                return "";
            }
            if (k.equals("clientId")) {
                return p.clientId();
            }
            if (k.startsWith("json:")) {
                JsonNode v = doc == null ? null : doc.get(k.substring(5));
                return v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty() ? v.asText() : null;
            }
            return topicLevels[placeholderLevel];
        }
    }
}
