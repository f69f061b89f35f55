package io.offlinedetector.simulator;

import java.math.BigInteger;
import java.time.Duration;

/**
 * When each simulated device sends, and when it is silent. Pure arithmetic on offsets from the
 * start of the run, so that the same settings and seed always give the same fleet.
 *
 * <p><b>Sends.</b> Send number {@code k} belongs to device {@code k mod N} and is due at
 * {@code (k div N) * interval + phase(device)}, where {@code phase(i) = i * interval / N}: every
 * device sends once per interval and the fleet as a whole sends at a steady rate of
 * {@code N / interval}, without bursts at round times.
 *
 * <p><b>Silence.</b> Time is cut into epochs of length {@code silence}; device {@code d} is silent
 * for the whole of its epoch {@code e} iff {@code hash(seed, d, e) < dropout}. The epochs of the
 * devices are staggered the same way as their phases, so that at any moment some devices go quiet
 * and others come back, instead of the whole share flipping at once. A device's first epoch is
 * never silent: every device announces itself before it may drop out.
 */
public final class FleetSchedule {

    private final int devices;
    private final long intervalNanos;
    private final double dropout;
    private final long silenceNanos;
    private final long seed;

    public FleetSchedule(int devices, Duration interval, double dropout, Duration silence, long seed) {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be at least 1");
        }
        if (interval.isNegative() || interval.isZero() || silence.isNegative() || silence.isZero()) {
            throw new IllegalArgumentException("interval and silence must be positive");
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout must be between 0 and 1");
        }
        this.devices = devices;
        this.intervalNanos = interval.toNanos();
        this.dropout = dropout;
        this.silenceNanos = silence.toNanos();
        this.seed = seed;
    }

    public int devices() {
        return devices;
    }

    /** The device that makes send number {@code send}. */
    public int deviceOf(long send) {
        return (int) (send % devices);
    }

    /** Offset of a device's sends within each interval: {@code device * interval / N}. */
    public long phaseNanos(int device) {
        return mulDiv(device, intervalNanos, devices);
    }

    /** When send number {@code send} is due, as an offset from the start of the run. */
    public long sendOffsetNanos(long send) {
        return (send / devices) * intervalNanos + phaseNanos(deviceOf(send));
    }

    /** How many sends are due strictly before {@code offsetNanos}: an upper bound for a run of that length. */
    public long sendsBefore(long offsetNanos) {
        if (offsetNanos <= 0) {
            return 0;
        }
        long rounds = offsetNanos / intervalNanos;
        long rest = offsetNanos % intervalNanos;
        // devices whose phase is < rest: phase(i) = floor(i * I / N) < rest  ⇔  i * I < rest * N
        long partial = Math.min(devices, ceilDiv(BigInteger.valueOf(rest).multiply(BigInteger.valueOf(devices)), intervalNanos));
        return rounds * devices + partial;
    }

    /** The silence epoch that {@code offsetNanos} falls in for this device. */
    public long epochOf(int device, long offsetNanos) {
        return (offsetNanos + mulDiv(device, silenceNanos, devices)) / silenceNanos;
    }

    /** Whether the device keeps quiet at this offset from the start of the run. */
    public boolean silent(int device, long offsetNanos) {
        long epoch = epochOf(device, offsetNanos);
        return epoch > 0 && unitHash(seed, device, epoch) < dropout;
    }

    /** How many devices keep quiet at this offset; costs one hash per device. */
    public int silentCount(long offsetNanos) {
        int silent = 0;
        for (int device = 0; device < devices; device++) {
            if (silent(device, offsetNanos)) {
                silent++;
            }
        }
        return silent;
    }

    /** A well-mixed number in {@code [0, 1)} from the three inputs (SplitMix64's finaliser). */
    static double unitHash(long seed, long device, long epoch) {
        long h = mix(seed + 0x9E3779B97F4A7C15L);
        h = mix(h ^ (device * 0xC2B2AE3D27D4EB4FL + 1));
        h = mix(h ^ (epoch * 0x165667B19E3779F9L + 2));
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** {@code a * b / c} rounded down, exact even when {@code a * b} overflows a long. */
    private static long mulDiv(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
            return a * b / c;
        }
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divide(BigInteger.valueOf(c)).longValueExact();
    }

    private static long ceilDiv(BigInteger numerator, long denominator) {
        BigInteger[] qr = numerator.divideAndRemainder(BigInteger.valueOf(denominator));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }
}
