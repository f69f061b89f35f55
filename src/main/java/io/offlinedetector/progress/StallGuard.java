package io.offlinedetector.progress;

import io.offlinedetector.topology.InputProgress.Stall;
import java.util.ArrayDeque;

/**
 * Tells an ingestion outage from a fleet outage (issue: "ingestion outage is not a fleet outage").
 * When the input of every partition stops at once right after traffic above {@code minRate}, the
 * pipeline has most likely failed, not a whole fleet at the same moment. Quiet or small fleets
 * (below {@code minRate}) never engage it, so a handful of devices that stop are still reported.
 */
final class StallGuard {

    private record Sample(long time, long total) {}

    private final boolean enabled;
    private final double minRatePerSecond;
    private final long declareAfterMs;
    private final long rateWindowMs;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    private long lastTotal = -1;
    private long lastGrowthAt = -1;
    private volatile Stall stall = Stall.NONE;

    StallGuard(boolean enabled, double minRatePerSecond, long declareAfterMs, long rateWindowMs) {
        this.enabled = enabled;
        this.minRatePerSecond = minRatePerSecond;
        this.declareAfterMs = declareAfterMs;
        this.rateWindowMs = rateWindowMs;
    }

    /** @param total the sum of the end offsets of every partition, observed at {@code time} */
    synchronized void observe(long time, long total) {
        if (!enabled) {
            return;
        }
        if (lastTotal < 0 || total > lastTotal) {
            if (stall.ongoing()) {
                stall = stall.declared() ? new Stall(stall.since(), time, true) : Stall.NONE;
            }
            lastGrowthAt = time;
            lastTotal = total;
        } else if (stall.ongoing()) {
            if (!stall.declared() && time - stall.since() >= declareAfterMs) {
                stall = new Stall(stall.since(), -1, true);
            }
        } else if (rateBefore(lastGrowthAt) >= minRatePerSecond) {
            stall = new Stall(lastGrowthAt, -1, false);
        }
        samples.addLast(new Sample(time, total));
        while (samples.size() > 2 && samples.peekFirst().time() < time - rateWindowMs - declareAfterMs) {
            samples.removeFirst();
        }
    }

    Stall stall() {
        return stall;
    }

    /** Records per second over the rate window that ends at {@code end}. */
    private double rateBefore(long end) {
        Sample first = null;
        Sample last = null;
        for (Sample sample : samples) {
            if (sample.time() > end) {
                break;
            }
            if (first == null && sample.time() >= end - rateWindowMs) {
                first = sample;
            }
            last = sample;
        }
        if (first == null || last == null || last.time() <= first.time()) {
            return 0;
        }
        return (last.total() - first.total()) * 1000.0 / (last.time() - first.time());
    }
}
