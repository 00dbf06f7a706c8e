package io.aiotedge.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON examples a doc marks with {@code <!-- example: name -->} before a json code block. */
public final class DocExamples {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\w+) -->\\s*```json\\n(.*?)```",
            Pattern.DOTALL);

    private DocExamples() {
    }

    /** Name -> parsed example, in document order. */
    public static Map<String, JsonNode> read(Path doc) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(Files.readString(doc));
        while (m.find()) {
            out.put(m.group(1), JSON.readTree(m.group(2)));
        }
        return out;
    }
}
