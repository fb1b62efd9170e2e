package dev.vigil.probe;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A hard deadline for one connection, enforced by closing its socket. Read timeouts alone do not
 * bound a connection: a server that trickles a byte (or an empty TLS record) before each timeout
 * resets it forever, and interrupting a thread blocked in a socket read does nothing. Closing the
 * socket from outside ends the read at once. One shared daemon thread runs every deadline.
 */
public final class ConnectionDeadline implements AutoCloseable {

    private static final ScheduledExecutorService CLOSER = closer();

    /**
     * A cancelled deadline leaves the queue at once: by default it would stay there until its time, holding the
     * connection (socket, TLS engine, buffers) of a probe long finished — a grading cycle of 4,000 services kept
     * 30,000 of them and 160 MiB of heap.
     */
    private static ScheduledExecutorService closer() {
        ScheduledThreadPoolExecutor closer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vigil-probe-deadline");
            t.setDaemon(true);
            return t;
        });
        closer.setRemoveOnCancelPolicy(true);
        return closer;
    }

    /** Deadlines still waiting (for tests: a closed deadline must not be one). */
    static int pending() {
        return ((ScheduledThreadPoolExecutor) CLOSER).getQueue().size();
    }

    private final Closeable connection;
    private final ScheduledFuture<?> timer;

    private ConnectionDeadline(Closeable connection, long deadlineNanos) {
        this.connection = connection;
        this.timer = CLOSER.schedule(this::closeQuietly, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * Closes {@code connection} at {@code deadlineNanos} ({@link System#nanoTime()} scale) unless this deadline is
     * closed first; closing the deadline also closes the connection, so try-with-resources ends both.
     */
    public static ConnectionDeadline closeAt(Closeable connection, long deadlineNanos) {
        return new ConnectionDeadline(connection, deadlineNanos);
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            // already closed or broken: either way it is gone
        }
    }

    @Override
    public void close() {
        timer.cancel(false);
        closeQuietly();
    }
}
