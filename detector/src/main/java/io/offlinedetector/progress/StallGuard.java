package io.offlinedetector.progress;

import io.offlinedetector.topology.InputProgress.Stall;
import java.util.ArrayDeque;

/**
 * Tells an ingestion outage from a fleet outage (issue: "ingestion outage is not a fleet outage").
 * When the input of every partition stops at once right after steady traffic above
 * {@code minRate}, the pipeline has most likely failed, not a whole fleet at the same moment.
 * Quiet or small fleets (below {@code minRate}) never engage it, so a handful of devices that stop
 * are still reported; nor does a single burst (a backfill, a test), since steady means that every
 * slice of the rate window saw records.
 */
final class StallGuard {

    private record Sample(long time, long total) {}

    /** The rate window is cut into this many slices, each of which must see records. */
    private static final int SLICES = 5;

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
        } else if (steadyRateBefore(lastGrowthAt) >= minRatePerSecond) {
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

    /**
     * Records per second over the rate window that ends at {@code end}, or 0 when the traffic was
     * not steady: the samples do not reach back over the whole window, or a slice of it saw none.
     */
    private double steadyRateBefore(long end) {
        long start = end - rateWindowMs;
        if (samples.isEmpty() || samples.peekFirst().time() > start) {
            return 0;
        }
        long sliceMs = rateWindowMs / SLICES;
        for (long sliceStart = start; sliceStart < end; sliceStart += sliceMs) {
            if (totalAt(Math.min(end, sliceStart + sliceMs)) <= totalAt(sliceStart)) {
                return 0;
            }
        }
        return (totalAt(end) - totalAt(start)) * 1000.0 / rateWindowMs;
    }

    /** The total of the latest sample at or before {@code time}. */
    private long totalAt(long time) {
        long total = samples.peekFirst().total();
        for (Sample sample : samples) {
            if (sample.time() > time) {
                break;
            }
            total = sample.total();
        }
        return total;
    }
}
