package dev.myelin.data;

/** The element types of the IDX format (third byte of the magic number) and their sizes in bytes. */
public enum IdxType {
    /** Unsigned 8-bit integers (MNIST's pixels and labels). */
    UNSIGNED_BYTE(0x08, 1),
    /** Signed 8-bit integers. */
    SIGNED_BYTE(0x09, 1),
    /** Signed 16-bit integers. */
    SHORT(0x0B, 2),
    /** Signed 32-bit integers. */
    INT(0x0C, 4),
    /** 32-bit IEEE floats. */
    FLOAT(0x0D, 4),
    /** 64-bit IEEE floats. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /**
     * The type code in the magic number.
     *
     * @return the type code
     */
    public int code() {
        return code;
    }

    /**
     * Bytes per element (big-endian in the file).
     *
     * @return the element size in bytes
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Whether the elements are integers.
     *
     * @return true for the integer types
     */
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
