package io.aiotedge.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One byte-exact text for a JSON value, so a signer and a verifier that parsed the same document
 * sign and check the same bytes: object keys sorted by code point, no whitespace, strings escaped
 * as Jackson does, integers as written, and every other number as the exact decimal expansion of
 * its IEEE double ({@link BigDecimal#BigDecimal(double)}), which does not depend on how a JDK
 * prints doubles. Stateless.
 */
public final class CanonicalJson {
    /** Deeper documents are refused rather than walked (a signed schema is a few levels deep). */
    static final int MAX_DEPTH = 32;

    private CanonicalJson() {
    }

    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, 0);
        return out.toString();
    }

    private static void write(JsonNode n, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH);
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            out.append("null");
        } else if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                out.append(i == 0 ? "" : ",");
                string(keys.get(i), out);
                out.append(':');
                write(n.get(keys.get(i)), out, depth + 1);
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(n.get(i), out, depth + 1);
            }
            out.append(']');
        } else if (n.isTextual()) {
            string(n.asText(), out);
        } else if (n.isBoolean()) {
            out.append(n.asBoolean());
        } else if (n.isIntegralNumber()) {
            out.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            double d = n.asDouble();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON number is not finite");
            }
            out.append(new BigDecimal(d).toString());
        } else {
            throw new IllegalArgumentException("unsupported JSON node " + n.getNodeType());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }
}
