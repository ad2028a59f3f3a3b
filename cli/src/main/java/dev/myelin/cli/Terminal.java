package dev.myelin.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Where a command's output goes. {@code main} runs the commands on the real standard output; tests give
 * them a writer to capture. The model layer reports progress to a {@link PrintStream}, so this class
 * turns the command's writer into one.
 */
final class Terminal {

    /** The writer {@code main} uses: the real standard output. */
    static final PrintWriter STDOUT = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    private Terminal() {
    }

    /**
     * A stream for progress output that ends up in {@code out}: {@code System.out} itself when {@code out}
     * is the standard output (so progress bars can tell they are on a terminal), else a stream writing
     * into {@code out}.
     */
    static PrintStream progress(PrintWriter out) {
        if (out == STDOUT) {
            return System.out;
        }
        return new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
    }

    /** Bytes to a writer, decoded as UTF-8 at each flush (PrintStream flushes after whole strings). */
    private static final class WriterOutputStream extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterOutputStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() {
            out.write(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            out.flush();
        }
    }
}
