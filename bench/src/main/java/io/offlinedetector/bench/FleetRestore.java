package io.offlinedetector.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * f. at fleet size, without a standby: a detector JVM with an empty state directory joins the
 * fleet's application after every other instance has gone, so it rebuilds both stores of every
 * partition from the changelogs. Timed from the process start, as an operator experiences it (JVM
 * start, group join and restore), until {@code /stats} counts the whole fleet, not partial, and a
 * sample of devices spread over every partition answers from the instance itself.
 */
final class FleetRestore {

    /**
     * @param readySeconds    from the process start to the first whole, not partial, {@code /stats}
     * @param answeredSeconds from the process start to every sampled device answering
     */
    record Result(double readySeconds, double answeredSeconds) {}

    private static final long POLL_MILLIS = 100;

    private FleetRestore() {}

    /**
     * @param fresh      the instance to time, started by the caller with an empty state directory
     * @param startNanos when the caller started it ({@link System#nanoTime()})
     */
    static Result run(DetectorJvm fresh, long startNanos, List<String> sample, long fleetSize, Duration limit)
            throws InterruptedException {
        Phase phase = new Phase("restore", limit);
        List<String> pending = new ArrayList<>(sample);
        double ready = -1;
        try (HttpConnection connection = new HttpConnection(fresh.url(), Fleet.REQUEST_TIMEOUT)) {
            while (true) {
                phase.check();
                if (!fresh.isAlive()) {
                    throw new IllegalStateException("the restoring instance exited; see " + fresh.log());
                }
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                if (ready < 0 && isWhole(connection, fleetSize)) {
                    ready = seconds;
                }
                if (ready >= 0) {
                    pending.removeIf(id -> {
                        HttpConnection.Answer answer = connection.get("/devices/" + id);
                        return answer.ok() && fresh.url().equals(answer.servedBy());
                    });
                    if (pending.isEmpty()) {
                        seconds = (System.nanoTime() - startNanos) / 1e9;
                        phase.done("/stats whole after %.2fs, all %d sampled devices answer after %.2fs", ready, sample.size(), seconds);
                        return new Result(ready, seconds);
                    }
                }
                phase.progress("%.1fs after the start: %s", seconds,
                        ready < 0 ? "restoring" : (sample.size() - pending.size()) + " of " + sample.size() + " sampled devices answer");
                Thread.sleep(POLL_MILLIS); // asking again at a fixed pace: the measurement's resolution
            }
        }
    }

    private static boolean isWhole(HttpConnection connection, long fleetSize) {
        try {
            Fleet.Stats stats = Fleet.stats(connection);
            return !stats.partial() && stats.total() == fleetSize;
        } catch (IllegalStateException e) {
            return false; // not listening yet, or not ready
        }
    }
}
