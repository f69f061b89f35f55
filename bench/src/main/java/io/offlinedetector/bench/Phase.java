package io.offlinedetector.bench;

import java.time.Duration;
import java.util.Locale;

/** Progress lines of one bench phase, and its deadline: every phase is bounded in time. */
final class Phase {

    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final String name;
    private final long deadline;
    private long lastPrint;

    Phase(String name, Duration limit) {
        this.name = name;
        this.deadline = System.nanoTime() + limit.toNanos();
        this.lastPrint = System.nanoTime();
        System.out.printf(Locale.ROOT, "[%s] started (limit %ds)%n", name, limit.toSeconds());
    }

    /** @throws BenchTimeout when the phase ran out of time */
    void check() {
        if (System.nanoTime() - deadline > 0) {
            throw new BenchTimeout(name);
        }
    }

    /** Prints a progress line, at most every two seconds unless forced. */
    void progress(String format, Object... args) {
        long now = System.nanoTime();
        if (now - lastPrint >= PROGRESS_EVERY_NANOS) {
            lastPrint = now;
            System.out.printf(Locale.ROOT, "[%s] %s%n", name, String.format(Locale.ROOT, format, args));
        }
    }

    void done(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] done: %s%n", name, String.format(Locale.ROOT, format, args));
    }

    /** A phase that did not finish within its limit. */
    static final class BenchTimeout extends RuntimeException {
        BenchTimeout(String phase) {
            super("bench phase '" + phase + "' did not finish within its time limit");
        }
    }
}
