package dev.myelin.data;

/** The element types of the IDX format (third byte of the magic number) and their sizes in bytes. */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1),
    SIGNED_BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The type code in the magic number. */
    public int code() {
        return code;
    }

    /** Bytes per element (big-endian in the file). */
    public int bytes() {
        return bytes;
    }

    /** Whether the elements are integers. */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type with {@code code}, or null when no IDX type has it. */
    static IdxType ofCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
