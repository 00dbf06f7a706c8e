package io.aiotedge.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One flatbuffer table, read with every offset checked against the buffer, so a truncated or
 * hostile file gives a {@link ModelFormatException} naming what was wrong, never an
 * out-of-bounds read. Every position and size is computed with overflow-checked arithmetic
 * ({@link Math#addExact}, {@link Math#multiplyExact}); a vtable must lie inside the file, be
 * even-sized and describe an inline table inside the file, and a field must lie inside its
 * table. Strings must be NUL-terminated UTF-8. Field {@code i} is vtable slot {@code i} (its
 * declaration order in the schema; a union takes two slots, type then value). Immutable.
 */
final class FlatTable {
    private final ByteBuffer buf;
    private final int pos;
    private final int vtable;
    private final int vtableSize;
    private final int tableSize;
    private final String what;

    private FlatTable(ByteBuffer buf, int pos, String what) throws ModelFormatException {
        this.buf = buf;
        this.pos = pos;
        this.what = what;
        check(pos, 4);
        int vt = sub(pos, buf.getInt(pos));
        check(vt, 4);
        this.vtable = vt;
        this.vtableSize = Short.toUnsignedInt(buf.getShort(vt));
        this.tableSize = Short.toUnsignedInt(buf.getShort(vt + 2));
        if (vtableSize < 4 || vtableSize % 2 != 0) {
            throw new ModelFormatException(what + ": vtable of " + vtableSize + " bytes is malformed");
        }
        check(vt, vtableSize);
        if (tableSize < 4) {
            throw new ModelFormatException(what + ": table of " + tableSize + " bytes is malformed");
        }
        check(pos, tableSize);
    }

    /** The root table of a buffer with file identifier {@code ident} (4 bytes at offset 4). */
    static FlatTable root(byte[] bytes, String ident) throws ModelFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new ModelFormatException("file is " + bytes.length + " bytes, too short for a flatbuffer");
        }
        String id = new String(bytes, 4, 4, StandardCharsets.ISO_8859_1);
        if (!id.equals(ident)) {
            throw new ModelFormatException(
                    "not a TFLite model: file identifier is '" + id + "', expected '" + ident + "'");
        }
        return new FlatTable(b, b.getInt(0), "Model");
    }

    String what() {
        return what;
    }

    /** How many fields the vtable describes (set or not). */
    int fieldSlots() {
        return (vtableSize - 4) / 2;
    }

    private int fieldOffset(int field) {
        int slot = 4 + 2 * field;
        return slot + 2 > vtableSize ? 0 : Short.toUnsignedInt(buf.getShort(vtable + slot));
    }

    boolean has(int field) {
        return fieldOffset(field) != 0;
    }

    /** Absolute position of an inline field of {@code size} bytes, or -1 when absent. */
    private int inline(int field, int size) throws ModelFormatException {
        int o = fieldOffset(field);
        if (o == 0) {
            return -1;
        }
        if (o < 4 || add(o, size) > tableSize) {
            throw new ModelFormatException(what + ": field " + field + " lies outside its table");
        }
        int at = add(pos, o);
        check(at, size);
        return at;
    }

    int getInt(int field, int dflt) throws ModelFormatException {
        int at = inline(field, 4);
        return at < 0 ? dflt : buf.getInt(at);
    }

    long getLong(int field, long dflt) throws ModelFormatException {
        int at = inline(field, 8);
        return at < 0 ? dflt : buf.getLong(at);
    }

    int getByte(int field, int dflt) throws ModelFormatException {
        int at = inline(field, 1);
        return at < 0 ? dflt : buf.get(at);
    }

    /** An unsigned byte field such as a union's type. */
    int getUByte(int field) throws ModelFormatException {
        int at = inline(field, 1);
        return at < 0 ? 0 : Byte.toUnsignedInt(buf.get(at));
    }

    float getFloat(int field, float dflt) throws ModelFormatException {
        int at = inline(field, 4);
        return at < 0 ? dflt : buf.getFloat(at);
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
        int end = add(add(at, 4), len);
        check(end, 1);
        if (buf.get(end) != 0) {
            throw new ModelFormatException(what + ": string field " + field + " is not NUL-terminated");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytesAt(at + 4, len))).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(what + ": string field " + field + " is not UTF-8");
        }
    }

    int vectorLength(int field) throws ModelFormatException {
        int at = indirect(field);
        return at < 0 ? 0 : length(at, 4);
    }

    FlatTable tableAt(int field, int index, String name) throws ModelFormatException {
        int at = indirect(field);
        int len = length(at, 4);
        if (index < 0 || index >= len) {
            throw new ModelFormatException(what + "." + name + "[" + index + "] is out of range");
        }
        int elem = add(add(at, 4), Math.multiplyExact(4, index));
        long target = elem + Integer.toUnsignedLong(buf.getInt(elem));
        if (target > buf.limit() - 4L) {
            throw new ModelFormatException(what + "." + name + "[" + index + "] points outside the file");
        }
        return new FlatTable(buf, (int) target, what + "." + name + "[" + index + "]");
    }

    int[] ints(int field) throws ModelFormatException {
        int at = indirect(field);
        int len = length(at, 4);
        int[] out = new int[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getInt(at + 4 + 4 * i); // inside the file: length() checked the whole vector
        }
        return out;
    }

    long[] longs(int field) throws ModelFormatException {
        int at = indirect(field);
        int len = length(at, 8);
        long[] out = new long[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getLong(at + 4 + 8 * i);
        }
        return out;
    }

    float[] floats(int field) throws ModelFormatException {
        int at = indirect(field);
        int len = length(at, 4);
        float[] out = new float[len];
        for (int i = 0; i < len; i++) {
            out[i] = buf.getFloat(at + 4 + 4 * i);
        }
        return out;
    }

    byte[] bytes(int field) throws ModelFormatException {
        int at = indirect(field);
        return at < 0 ? new byte[0] : bytesAt(at + 4, length(at, 1));
    }

    /** Absolute position of what an offset field points at, or -1 when absent. */
    private int indirect(int field) throws ModelFormatException {
        int at = inline(field, 4);
        if (at < 0) {
            return -1;
        }
        long target = at + Integer.toUnsignedLong(buf.getInt(at));
        if (target > buf.limit() - 4L) {
            throw new ModelFormatException(what + ": field " + field + " points outside the file (truncated?)");
        }
        return (int) target;
    }

    /** A vector's element count, checked: its {@code elemSize}-byte elements all lie inside the file. */
    private int length(int at, int elemSize) throws ModelFormatException {
        if (at < 0) {
            return 0;
        }
        check(at, 4);
        long len = Integer.toUnsignedLong(buf.getInt(at));
        long end;
        try {
            end = Math.addExact(at + 4L, Math.multiplyExact(len, (long) elemSize));
        } catch (ArithmeticException e) {
            end = Long.MAX_VALUE;
        }
        if (len > Integer.MAX_VALUE || end > buf.limit()) {
            throw new ModelFormatException(what + ": a vector of " + len + " elements runs past the end of the file");
        }
        return (int) len;
    }

    private byte[] bytesAt(int at, int len) {
        byte[] out = new byte[len];
        buf.get(at, out, 0, len);
        return out;
    }

    private int add(int a, int b) throws ModelFormatException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(what + ": offset " + a + " + " + b + " overflows");
        }
    }

    private int sub(int a, int b) throws ModelFormatException {
        try {
            return Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(what + ": vtable offset " + b + " overflows");
        }
    }

    private void check(int at, int size) throws ModelFormatException {
        if (at < 0 || (long) at + size > buf.limit()) {
            throw new ModelFormatException(what + ": offset " + at + " is outside the file (truncated or corrupt)");
        }
    }
}
