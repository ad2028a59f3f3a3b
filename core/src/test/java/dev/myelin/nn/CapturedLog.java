package dev.myelin.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records a {@code System.Logger} (backed by java.util.logging) receives while this is open. */
final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Starts capturing the records of the logger named for {@code owner}. */
    CapturedLog(Class<?> owner) {
        this.logger = Logger.getLogger(owner.getName());
        logger.addHandler(handler);
    }

    /** The records so far. */
    List<LogRecord> records() {
        return records;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
