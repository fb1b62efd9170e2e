package dev.vigil.secrets;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Collects every formatted log line of the running application, to scan for leaked values. */
final class LogCapture extends Handler {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    void install() {
        Logger.getLogger("").addHandler(this);
    }

    void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    String text() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        StringBuilder line = new StringBuilder(record.getLoggerName()).append(' ').append(message);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
