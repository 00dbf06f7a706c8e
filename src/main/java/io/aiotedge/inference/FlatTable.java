package io.aiotedge.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One flatbuffer table, read with every offset checked against the buffer, so a truncated or
 * hostile file gives a {@link ModelFormatException} naming what was wrong, never an
 * out-of-bounds read. Field {@code i} is vtable slot {@code i} (its declaration order in the
 * schema; a union takes two slots, type then value). Immutable.
 */
final class FlatTable {
    private final ByteBuffer buf;
    private final int pos;
    private final int vtable;
    private final int vtableSize;
    private final String what;

    private FlatTable(ByteBuffer buf, int pos, String what) throws ModelFormatException {
        this.buf = buf;
        this.pos = pos;
        this.what = what;
        check(pos, 4);
        int vt = pos - buf.getInt(pos);
        check(vt, 4);
        this.vtable = vt;
        this.vtableSize = Short.toUnsignedInt(buf.getShort(vt));
        check(vt, vtableSize);
    }

    /** The root table of a buffer with file identifier {@code ident} (4 bytes at offset 4). */
    static FlatTable root(byte[] bytes, String ident) throws ModelFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new ModelFormatException("file is " + bytes.length + " bytes, too short for a flatbuffer");
        }
        String id = new String(bytes, 4, 4, StandardCharsets.ISO_8859_1);
        if (!id.equals(ident)) {
            throw new ModelFormatException("not a TFLite model: file identifier is '" + id + "', expected '" + ident + "'");
        }
        return new FlatTable(b, b.getInt(0), "Model");
    }

    private int fieldOffset(int field) {
        int slot = 4 + 2 * field;
        return slot + 2 > vtableSize ? 0 : Short.toUnsignedInt(buf.getShort(vtable + slot));
    }

    boolean has(int field) {
        return fieldOffset(field) != 0;
    }

    int getInt(int field, int dflt) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return dflt;
        }
        check(pos + o, 4);
        return buf.getInt(pos + o);
    }

    long getLong(int field, long dflt) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return dflt;
        }
        check(pos + o, 8);
        return buf.getLong(pos + o);
    }

    int getByte(int field, int dflt) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return dflt;
        }
        check(pos + o, 1);
        return buf.get(pos + o);
    }

    float getFloat(int field, float dflt) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return dflt;
        }
        check(pos + o, 4);
        return buf.getFloat(pos + o);
    }

    /** A referenced sub-table, or null. */
    FlatTable table(int field, String name) throws ModelFormatException {
        int at = indirect(field);
        return at < 0 ? null : new FlatTable(buf, at, what + "." + name);
    }

    String string(int field) throws ModelFormatException {
        int at = indirect(field);
        if (at < 0) {
            return null;
        }
        int len = length(at, 1);
        return new String(bytesAt(at + 4, len), StandardCharsets.UTF_8);
    }

    int vectorLength(int field) throws ModelFormatException {
        int at = indirect(field);
        return at < 0 ? 0 : length(at, 4);
    }

    FlatTable tableAt(int field, int index, String name) throws ModelFormatException {
        int at = indirect(field);
        int len = length(at, 4);
        if (index >= len) {
            throw new ModelFormatException(what + "." + name + "[" + index + "] is out of range");
        }
        int elem = at + 4 + 4 * index;
        return new FlatTable(buf, elem + buf.getInt(elem), what + "." + name + "[" + index + "]");
    }

    int[] ints(int field) throws ModelFormatException {
        int at = indirect(field);
        if (at < 0) {
            return new int[0];
        }
        int len = length(at, 4);
        int[] out = new int[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getInt(at + 4 + 4 * i);
        }
        return out;
    }

    long[] longs(int field) throws ModelFormatException {
        int at = indirect(field);
        if (at < 0) {
            return new long[0];
        }
        int len = length(at, 8);
        long[] out = new long[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getLong(at + 4 + 8 * i);
        }
        return out;
    }

    float[] floats(int field) throws ModelFormatException {
        int at = indirect(field);
        if (at < 0) {
            return new float[0];
        }
        int len = length(at, 4);
        float[] out = new float[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getFloat(at + 4 + 4 * i);
        }
        return out;
    }

    byte[] bytes(int field) throws ModelFormatException {
        int at = indirect(field);
        if (at < 0) {
            return new byte[0];
        }
        return bytesAt(at + 4, length(at, 1));
    }

    /** Absolute position of what an offset field points at, or -1 when absent. */
    private int indirect(int field) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return -1;
        }
        int at = pos + o;
        check(at, 4);
        long target = (long) at + Integer.toUnsignedLong(buf.getInt(at));
        if (target > buf.limit() - 4L) {
            throw new ModelFormatException(what + ": field " + field + " points outside the file (truncated?)");
        }
        return (int) target;
    }

    private int length(int at, int elemSize) throws ModelFormatException {
        if (at < 0) {
            return 0;
        }
        check(at, 4);
        long len = Integer.toUnsignedLong(buf.getInt(at));
        if (at + 4L + len * elemSize > buf.limit()) {
            throw new ModelFormatException(what + ": a vector of " + len + " elements runs past the end of the file");
        }
        return (int) len;
    }

    private byte[] bytesAt(int at, int len) {
        byte[] out = new byte[len];
        buf.get(at, out, 0, len);
        return out;
    }

    private void check(int at, int size) throws ModelFormatException {
        if (at < 0 || (long) at + size > buf.limit()) {
            throw new ModelFormatException(what + ": offset " + at + " is outside the file (truncated or corrupt)");
        }
    }
}
