package io.offlinedetector.simulator;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a simulation run stands.
 *
 * @param sent          heartbeats acknowledged by Kafka so far
 * @param ratePerSecond acknowledged heartbeats per second since the previous report
 * @param silentDevices devices keeping quiet right now (dropped out)
 * @param errors        heartbeats Kafka refused or that could not be sent
 * @param duration      how long the whole run lasts
 */
public record Progress(Duration elapsed, long sent, double ratePerSecond, int silentDevices, int devices, long errors, Duration duration) {

    private static final int BAR_WIDTH = 24;

    /** The console line: {@code 0:01:05  sent 65,000  rate 1,000/s  silent 98/1,000  errors 0}. */
    public String line() {
        return String.format(Locale.ROOT, "%s  sent %,d  rate %,.0f/s  silent %,d/%,d  errors %,d",
                clock(elapsed), sent, ratePerSecond, silentDevices, devices, errors);
    }

    /** The progress bar: {@code [######------------------]  25%  0:07:30 left  rate 1,000/s  sent 65,000  silent 98/1,000  errors 0}. */
    public String bar() {
        double done = duration.isZero() ? 1 : Math.min(1, (double) elapsed.toNanos() / duration.toNanos());
        int filled = (int) Math.round(done * BAR_WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %s left  rate %,.0f/s  sent %,d  silent %,d/%,d  errors %,d",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), (int) Math.floor(done * 100), clock(timeLeft()),
                ratePerSecond, sent, silentDevices, devices, errors);
    }

    /** Rounded up to whole seconds, so that "0:00:00 left" means done. */
    public Duration timeLeft() {
        Duration left = duration.minus(elapsed);
        return left.isNegative() ? Duration.ZERO : Duration.ofSeconds((left.toMillis() + 999) / 1000);
    }

    /** {@code h:mm:ss}, the way a stopwatch shows it. */
    public static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
