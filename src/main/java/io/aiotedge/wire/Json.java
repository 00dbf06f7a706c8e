package io.aiotedge.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;

/**
 * The one JSON mapper of the node's main code: Jackson's defaults, the same for every message,
 * record, file and API body we read or write, so a document is written the same way wherever it
 * is written. The mapper itself never leaves this class, so nobody can reconfigure it for
 * everyone; the methods are Jackson's own (same names, parameters and exceptions), so a call
 * reads as it did on a private {@code ObjectMapper}. YAML config ({@code config/ConfigTree}) has
 * its own. One departure from the defaults: numbers are read with Jackson's fast double parser (FastDoubleParser,
 * correctly rounded like {@code Double.parseDouble}); JDK parsing of telemetry's 17-digit values was the
 * largest cost of scoring a window (measured with JFR under {@code bench inference --shadow}). Immutable and
 * thread-safe.
 */
public final class Json {
    private static final Json MAPPER = new Json(new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build()));

    private final ObjectMapper mapper;
    private final ObjectWriter pretty;

    private Json(ObjectMapper mapper) {
        this.mapper = mapper;
        this.pretty = mapper.writerWithDefaultPrettyPrinter();
    }

    /** The node's JSON mapper. */
    public static Json mapper() {
        return MAPPER;
    }

    public JsonNode readTree(byte[] content) throws IOException {
        return mapper.readTree(content);
    }

    public JsonNode readTree(String content) throws JsonProcessingException {
        return mapper.readTree(content);
    }

    public JsonNode readTree(File file) throws IOException {
        return mapper.readTree(file);
    }

    public <T> T readValue(String content, TypeReference<T> type) throws JsonProcessingException {
        return mapper.readValue(content, type);
    }

    public <T> T readValue(File file, Class<T> type) throws IOException {
        return mapper.readValue(file, type);
    }

    public <T> T treeToValue(TreeNode tree, Class<T> type) throws JsonProcessingException {
        return mapper.treeToValue(tree, type);
    }

    public <T extends JsonNode> T valueToTree(Object value) {
        return mapper.valueToTree(value);
    }

    public <T> T convertValue(Object value, Class<T> type) {
        return mapper.convertValue(value, type);
    }

    public <T> T convertValue(Object value, TypeReference<T> type) {
        return mapper.convertValue(value, type);
    }

    public ObjectNode createObjectNode() {
        return mapper.createObjectNode();
    }

    public ArrayNode createArrayNode() {
        return mapper.createArrayNode();
    }

    public byte[] writeValueAsBytes(Object value) throws JsonProcessingException {
        return mapper.writeValueAsBytes(value);
    }

    public String writeValueAsString(Object value) throws JsonProcessingException {
        return mapper.writeValueAsString(value);
    }

    /** Writes indented (Jackson's default pretty printer), for files people read. Immutable. */
    public ObjectWriter writerWithDefaultPrettyPrinter() {
        return pretty;
    }
}
