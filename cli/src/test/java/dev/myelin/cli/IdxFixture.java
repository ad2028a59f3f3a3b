package dev.myelin.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small, learnable stand-in for Fashion-MNIST in its real file format: 28x28 images of 10 classes,
 * class {@code c} lighting rows {@code 2c..2c+4} (overlapping bands) plus noise.
 */
final class IdxFixture {

    static final int SIDE = 28;

    private IdxFixture() {
    }

    /** Writes the four gzipped IDX files of {@code train} training and {@code test} test images into {@code dir}. */
    static Path write(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        part(dir, "train", train, random);
        part(dir, "t10k", test, random);
        return dir;
    }

    private static void part(Path dir, String prefix, int n, SplittableRandom random) throws IOException {
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int r = 0; r < SIDE; r++) {
                boolean band = r >= 2 * c && r < 2 * c + 5;
                for (int col = 0; col < SIDE; col++) {
                    int v = (band ? 150 : 0) + random.nextInt(100);
                    pixels[(i * SIDE + r) * SIDE + col] = (byte) v;
                }
            }
        }
        try (DataOutputStream out = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
            out.writeInt(0x0803);
            out.writeInt(n);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            out.write(pixels);
        }
        try (DataOutputStream out = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            out.writeInt(0x0801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    private static DataOutputStream gz(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(raw));
    }
}
