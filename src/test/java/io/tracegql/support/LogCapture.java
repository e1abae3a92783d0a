package io.tracegql.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every log line written while it is open, message and parameters included. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Map<Logger, Level> lowered = new LinkedHashMap<>();

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** Also collects what these categories log at DEBUG while the capture is open. */
    public static LogCapture startWithDebug(String... categories) {
        LogCapture capture = start();
        for (String category : categories) {
            Logger logger = Logger.getLogger(category);
            capture.lowered.put(logger, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                line.append(' ').append(parameter);
            }
        }
        if (record.getThrown() != null) {
            line.append(' ').append(record.getThrown());
        }
        lines.add(line.toString());
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(line.toString());
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines logged as errors. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        lowered.forEach(Logger::setLevel);
    }
}
