package io.offlinedetector.http;

import io.offlinedetector.feed.StatusFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One browser on {@code GET /events}: a bounded queue filled by {@link LiveEvents} without ever
 * waiting, and a thread of its own that writes the queue to the connection, however slowly the
 * browser reads. The connection lasts at most {@code maxConnection}; the browser's EventSource
 * then reconnects by itself after the {@code retry} time.
 */
final class SseClient {

    /** Longest a new count waits to be written: counts come only once a second, so they take no room in the queue. */
    private static final long TICK_MILLIS = 250;
    private static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.UTF_8);
    /** A comment line: keeps proxies from closing an idle connection and finds browsers that left. */
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    /** Frames written per flush at most, so that counts and the dropped notice are never held back long. */
    private static final int BATCH = 256;

    private final int number;
    private final StatusFilter filter;
    private final OutputStream body;
    private final LiveEvents.ClientSettings settings;
    private final Consumer<SseClient> onClosed;
    private final ArrayBlockingQueue<byte[]> queue;
    private final AtomicReference<byte[]> latestStats = new AtomicReference<>();
    private final AtomicLong missed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    SseClient(int number, StatusFilter filter, OutputStream body, LiveEvents.ClientSettings settings, Consumer<SseClient> onClosed) {
        this.number = number;
        this.filter = filter;
        this.body = body;
        this.settings = settings;
        this.onClosed = onClosed;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = new Thread(this::write, "sse-" + number);
        this.writer.setDaemon(true);
    }

    int number() {
        return number;
    }

    StatusFilter filter() {
        return filter;
    }

    void start() {
        writer.start();
    }

    /** @return false when the queue is full: the frame is dropped, and the browser will be told */
    boolean offer(byte[] frame) {
        if (queue.offer(frame)) {
            return true;
        }
        missed.incrementAndGet();
        return false;
    }

    /** Only the latest counts matter: they replace any not yet sent. */
    void offerStats(byte[] frame) {
        latestStats.set(frame);
    }

    void close() {
        closed = true;
        writer.interrupt();
        if (!writer.isAlive()) {
            closeBody();
        }
    }

    void awaitClosed(long nanos) {
        try {
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() {
        long deadline = System.nanoTime() + settings.maxConnection().toNanos();
        long lastWrite = System.nanoTime();
        List<byte[]> batch = new ArrayList<>(BATCH);
        try {
            body.write(RETRY);
            body.flush();
            while (!closed && System.nanoTime() < deadline) {
                batch.clear();
                byte[] first = queue.poll(Math.min(TICK_MILLIS, settings.keepAlive().toMillis()), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                boolean wrote = false;
                long lost = missed.getAndSet(0);
                if (lost > 0) {
                    body.write(LiveEvents.frame("dropped", "{\"count\":" + lost + "}"));
                    wrote = true;
                }
                byte[] stats = latestStats.getAndSet(null);
                if (stats != null) {
                    body.write(stats);
                    wrote = true;
                }
                for (byte[] frame : batch) {
                    body.write(frame);
                    wrote = true;
                }
                if (!wrote && System.nanoTime() - lastWrite >= settings.keepAlive().toNanos()) {
                    body.write(KEEP_ALIVE);
                    wrote = true;
                }
                if (wrote) {
                    body.flush();
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            // the browser went away
        } catch (InterruptedException e) {
            // closing
        } finally {
            closeBody();
            onClosed.accept(this);
        }
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }
}
