package io.aiotedge.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiotedge.datastore.FeatureRow;
import io.aiotedge.wire.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The content hash of a training set, taken at extract time so that a later audit can tell
 * whether the datastore rows a model was trained on changed: SHA-256 over the rows that reach the
 * dataset, in id order, each as its id, device, timestamp, label, feature names and the values'
 * IEEE-754 bits. Stateless.
 */
final class TrainingSetHash {
    private static final Json JSON = Json.mapper();

    private TrainingSetHash() {
    }

    /** {@code {rows, sha256, firstId, lastId, extractedAt}} of {@code rows} (already in id order). */
    static ObjectNode of(List<FeatureRow> rows, long extractedAt) {
        MessageDigest md = sha256();
        ByteBuffer num = ByteBuffer.allocate(8);
        for (FeatureRow r : rows) {
            update(md, num.clear().putLong(r.id()));
            text(md, r.deviceId());
            update(md, num.clear().putLong(r.timestamp()));
            text(md, r.label());
            text(md, String.join(",", r.names()));
            for (double v : r.values()) {
                update(md, num.clear().putLong(Double.doubleToLongBits(v)));
            }
        }
        ObjectNode n = JSON.createObjectNode().put("rows", rows.size())
                .put("sha256", HexFormat.of().formatHex(md.digest()));
        if (rows.isEmpty()) {
            n.putNull("firstId").putNull("lastId");
        } else {
            n.put("firstId", rows.get(0).id()).put("lastId", rows.get(rows.size() - 1).id());
        }
        return n.put("extractedAt", extractedAt);
    }

    private static void update(MessageDigest md, ByteBuffer b) {
        md.update(b.array(), 0, b.position());
    }

    /** Length-prefixed, so no two field sequences hash alike. */
    private static void text(MessageDigest md, String s) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).putInt(s == null ? -1 : b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
