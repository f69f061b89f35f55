package io.offlinedetector.http;

import io.offlinedetector.feed.StatusFilter;
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
 * then reconnects by itself.
 */
final class FeedClient {

    /** Longest a new count waits to be written: counts come only once a second, so they take no room in the queue. */
    private static final long TICK_MILLIS = 250;
    /** Frames written per round at most, so that counts and the dropped notice are never held back long. */
    private static final int BATCH = 256;

    private final int number;
    private final StatusFilter filter;
    private final EventSink sink;
    private final LiveEvents.ClientSettings settings;
    private final Consumer<FeedClient> onClosed;
    private final ArrayBlockingQueue<LiveEvents.Frame> queue;
    private final AtomicReference<LiveEvents.Frame> latestStats = new AtomicReference<>();
    private final AtomicLong missed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    FeedClient(int number, StatusFilter filter, EventSink sink, LiveEvents.ClientSettings settings, Consumer<FeedClient> onClosed) {
        this.number = number;
        this.filter = filter;
        this.sink = sink;
        this.settings = settings;
        this.onClosed = onClosed;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = new Thread(this::write, "live-feed-" + number);
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
    boolean offer(LiveEvents.Frame frame) {
        if (queue.offer(frame)) {
            return true;
        }
        missed.incrementAndGet();
        return false;
    }

    /** Only the latest counts matter: they replace any not yet sent. */
    void offerStats(LiveEvents.Frame frame) {
        latestStats.set(frame);
    }

    void close() {
        closed = true;
        writer.interrupt();
        if (!writer.isAlive()) {
            sink.close();
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
        List<LiveEvents.Frame> batch = new ArrayList<>(BATCH);
        try {
            while (!closed && !sink.closed() && System.nanoTime() < deadline) {
                batch.clear();
                LiveEvents.Frame first = queue.poll(Math.min(TICK_MILLIS, settings.keepAlive().toMillis()), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                boolean wrote = false;
                long lost = missed.getAndSet(0);
                if (lost > 0) {
                    sink.event("dropped", "{\"count\":" + lost + "}");
                    wrote = true;
                }
                LiveEvents.Frame stats = latestStats.getAndSet(null);
                if (stats != null) {
                    sink.event(stats.event(), stats.data());
                    wrote = true;
                }
                for (LiveEvents.Frame frame : batch) {
                    sink.event(frame.event(), frame.data());
                    wrote = true;
                }
                if (!wrote && System.nanoTime() - lastWrite >= settings.keepAlive().toNanos()) {
                    sink.comment("keep-alive");
                    wrote = true;
                }
                if (wrote) {
                    lastWrite = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            sink.close();
            onClosed.accept(this);
        }
    }
}
