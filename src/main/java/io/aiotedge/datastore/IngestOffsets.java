package io.aiotedge.datastore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ingest_offsets} table: where a consumer group's ingest goes on reading. Saved on the
 * connection (and so in the transaction) of the rows it covers; plain UPDATE-then-INSERT, which
 * any SQL database runs. Stateless.
 */
final class IngestOffsets {
    /** The next offset to read in one topic partition. */
    record Position(String topic, int partition, long next) {
    }

    /** The positions one batch reached, for one consumer group. */
    record Consumed(String groupId, List<Position> positions) {
        static final Consumed NONE = new Consumed("", List.of());

        Consumed {
            positions = List.copyOf(positions);
        }
    }

    private IngestOffsets() {
    }

    static void save(Connection c, Consumed consumed, long now) throws SQLException {
        if (consumed.positions().isEmpty()) {
            return;
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE ingest_offsets SET next_offset = ?, updated_at = ? "
                + "WHERE group_id = ? AND topic = ? AND topic_partition = ?");
                PreparedStatement in = c
                        .prepareStatement("INSERT INTO ingest_offsets (group_id, topic, topic_partition, "
                                + "next_offset, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Position p : consumed.positions()) {
                up.setLong(1, p.next());
                up.setLong(2, now);
                up.setString(3, consumed.groupId());
                up.setString(4, p.topic());
                up.setInt(5, p.partition());
                if (up.executeUpdate() == 0) {
                    in.setString(1, consumed.groupId());
                    in.setString(2, p.topic());
                    in.setInt(3, p.partition());
                    in.setLong(4, p.next());
                    in.setLong(5, now);
                    in.executeUpdate();
                }
            }
        }
    }

    /** "topic/partition" -> next offset, for every partition the group has stored. */
    static Map<String, Long> load(Connection c, String groupId) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT topic, topic_partition, next_offset FROM ingest_offsets WHERE group_id = ?")) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(key(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return out;
    }

    static String key(String topic, int partition) {
        return topic + "/" + partition;
    }
}
