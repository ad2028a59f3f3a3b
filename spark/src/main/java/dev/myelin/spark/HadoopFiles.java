package dev.myelin.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whole-file reads and writes on any Hadoop file system (local, HDFS, S3A, ...), as Spark's own
 * model writers use. A write goes to a hidden temporary name and is renamed into place, so a reader
 * never sees half a file.
 */
final class HadoopFiles {

    private HadoopFiles() {
    }

    /** Writes {@code bytes} to {@code path}, replacing it. */
    static void write(Configuration conf, String path, byte[] bytes) {
        Path target = new Path(path);
        Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = target.getFileSystem(conf);
            try (OutputStream out = fs.create(temp, true)) {
                out.write(bytes);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("could not rename " + temp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code path}. */
    static byte[] read(Configuration conf, String path) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code path} exists. */
    static boolean exists(Configuration conf, String path) {
        Path p = new Path(path);
        try {
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not check " + path + ": " + e.getMessage(), e);
        }
    }
}
