package dev.myelin.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for the tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] idx(int typeCode, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    /** {@code n} images of {@code rows x cols} whose pixel k of image i is {@code (7 * i + k) % 256}. */
    static byte[] images(int n, int rows, int cols) {
        byte[] pixels = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * cols; k++) {
                pixels[i * rows * cols + k] = (byte) ((7 * i + k) % 256);
            }
        }
        return idx(0x08, new int[] {n, rows, cols}, pixels);
    }

    /** {@code n} labels {@code i % classes}. */
    static byte[] labels(int n, int classes) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
        }
        return idx(0x08, new int[] {n}, labels);
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
