package io.aiotedge.config;

import io.aiotedge.wire.TopicNames;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MQTT -> Kafka route of the bridge ({@code bridge.uplink[]}).
 *
 * @param mqtt the MQTT topic filter; one level may be a named placeholder such as
 *     {@code {deviceId}}, which matches one level like {@code +} and can become the record key
 * @param kafka the Kafka topic the records go to
 * @param key where the record key comes from: {@code "{name}"} (the placeholder's level),
 *     {@code clientId}, {@code json:<field>} (a top-level field of a JSON payload) or {@code none}
 * @param payload {@link Payload#ANY} bytes, or {@link Payload#JSON}: the payload must be a JSON object
 * @param requiredFields top-level fields a JSON payload must have
 * @param maxPayloadBytes larger payloads are dead-lettered; 0 = no limit beyond the broker's packet limit
 * @param schema where the JSON Schema comes from ({@code builtin:<name>} or a file), null = none
 * @param schemaJson that schema's text, read and checked to be a JSON object when the config loads
 */
public record UplinkMapping(String mqtt, String kafka, String key, Payload payload, List<String> requiredFields,
        int maxPayloadBytes, String schema, String schemaJson) {

    public enum Payload { ANY, JSON }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    public UplinkMapping {
        requiredFields = List.copyOf(requiredFields);
    }

    /** The placeholder's name in {@link #mqtt}, or null. */
    public String placeholder() {
        Matcher m = PLACEHOLDER.matcher(mqtt);
        return m.find() ? m.group(1) : null;
    }

    static UplinkMapping read(ConfigReader r) {
        String mqtt = r.nonBlank("mqtt");
        String kafka = r.nonBlank("kafka");
        KafkaNames.check(r, "kafka", kafka);
        Matcher m = PLACEHOLDER.matcher(mqtt);
        int placeholders = 0;
        String plain = mqtt;
        while (m.find()) {
            placeholders++;
            plain = plain.replace(m.group(), "+");
        }
        if (placeholders > 1) {
            r.problem("mqtt", "may name at most one level {..}, got '" + mqtt + "'");
        }
        String problem = TopicNames.filterProblem(plain);
        if (problem != null) {
            r.problem("mqtt", problem);
        }
        String placeholder = m.reset().find() ? m.group(1) : null;
        String key = r.has("key") ? r.string("key") : placeholder != null ? "{" + placeholder + "}" : "clientId";
        if (!(key.equals("clientId") || key.equals("none") || key.startsWith("json:") && key.length() > 5
                || placeholder != null && key.equals("{" + placeholder + "}"))) {
            r.problem("key", "must be clientId, none, json:<field>"
                    + (placeholder == null ? "" : " or {" + placeholder + "}") + ", got '" + key + "'");
        }
        Payload payload = r.has("payload") ? r.enumValue("payload", Payload.class) : Payload.ANY;
        List<String> required = r.has("requiredFields") ? r.stringList("requiredFields") : List.of();
        String schema = r.optionalString("schema");
        if (key.startsWith("json:") || !required.isEmpty() || schema != null) {
            if (payload != Payload.JSON) {
                r.problem("payload", "must be json when key is json:<field>, requiredFields or a schema are set");
            }
        }
        int max = r.has("maxPayloadBytes") ? r.integer("maxPayloadBytes", 0, 268_435_455) : 0;
        return new UplinkMapping(mqtt, kafka, key, payload, required, max, schema,
                schema == null ? null : JsonSchemas.read(r, "schema", schema));
    }
}
