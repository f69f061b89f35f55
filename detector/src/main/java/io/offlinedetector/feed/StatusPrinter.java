package io.offlinedetector.feed;

import io.offlinedetector.domain.StatusChange;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Prints the events a {@link StatusTail} delivers that pass a {@link StatusFilter}, one
 * {@link StatusLine} each, and says when it has printed enough or following failed.
 */
public final class StatusPrinter implements StatusTail.Listener {

    private final StatusFilter filter;
    private final boolean color;
    private final Consumer<String> out;
    private final Consumer<String> problems;
    private final long maxEvents;
    private final CountDownLatch done = new CountDownLatch(1);
    private long printed;
    private volatile RuntimeException failure;

    /**
     * @param out       where event lines go
     * @param problems  where unreadable records and failures are reported
     * @param maxEvents after this many printed events {@link #awaitDone} returns
     */
    public StatusPrinter(StatusFilter filter, boolean color, Consumer<String> out, Consumer<String> problems, long maxEvents) {
        this.filter = filter;
        this.color = color;
        this.out = out;
        this.problems = problems;
        this.maxEvents = maxEvents;
    }

    @Override
    public void onEvent(StatusChange change) {
        if (filter.matches(change)) {
            print(StatusLine.format(change, color));
        }
    }

    @Override
    public void onRemoved(String deviceId, long removedAt) {
        if (filter.matchesRemoval(deviceId)) {
            print(StatusLine.formatRemoval(deviceId, removedAt, color));
        }
    }

    private void print(String line) {
        if (printed >= maxEvents) {
            return;
        }
        out.accept(line);
        if (++printed == maxEvents) {
            done.countDown();
        }
    }

    @Override
    public void onUnreadable(String where, String problem) {
        problems.accept("unreadable event at " + where + ": " + problem);
    }

    @Override
    public void onFailure(RuntimeException e) {
        failure = e;
        problems.accept("stopped following the status events: " + e.getMessage());
        done.countDown();
    }

    /** @return true once {@code maxEvents} are printed or following failed; false when the time is up first */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why following stopped, or {@code null}. */
    public RuntimeException failure() {
        return failure;
    }
}
