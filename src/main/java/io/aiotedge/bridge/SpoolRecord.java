package io.aiotedge.bridge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka record waiting in the spool, in Kafka-neutral form. Encoded as: format byte (1),
 * topic (UTF), key and value (length-prefixed, -1 = null), header count and headers (name UTF,
 * length-prefixed value).
 */
public record SpoolRecord(String topic, byte[] key, byte[] value, List<Header> headers) {
    private static final byte FORMAT = 1;

    public record Header(String name, byte[] value) {
    }

    public SpoolRecord {
        headers = List.copyOf(headers);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (value == null ? 0 : value.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(topic);
            writeBytes(out, key);
            writeBytes(out, value);
            out.writeInt(headers.size());
            for (Header h : headers) {
                out.writeUTF(h.name());
                writeBytes(out, h.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SpoolRecord decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("spool entry has unknown format " + format);
            }
            String topic = in.readUTF();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            int n = in.readInt();
            List<Header> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                headers.add(new Header(in.readUTF(), readBytes(in)));
            }
            return new SpoolRecord(topic, key, value, headers);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt spool entry: " + e.getMessage(), e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < -1 || len > in.available()) {
            throw new IOException("bad length " + len);
        }
        return len == -1 ? null : in.readNBytes(len);
    }
}
