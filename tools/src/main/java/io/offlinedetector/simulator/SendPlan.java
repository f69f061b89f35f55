package io.offlinedetector.simulator;

import java.time.Duration;

/**
 * The sends of a run: the steady {@link FleetSchedule}, shaped by a {@link Scenario}. Pure
 * arithmetic like the schedule, so that it is tested without Kafka or a clock.
 *
 * <p>Send numbers still count up in the order the sends are due. A storm at time {@code T} puts
 * one send of every device, all due at {@code T}, between the steady sends before {@code T} and
 * those from {@code T} on: send {@code s} is steady send {@code s} before the storm, storm send
 * {@code s - K} during it (device {@code s - K}, where {@code K} steady sends come before
 * {@code T}), and steady send {@code s - N} after it.
 */
public final class SendPlan {

    /** Salts of the per-device choices, apart from the silence epochs (which are never negative). */
    private static final long AFFECTED_SALT = -1;
    private static final long SKEW_SALT = -2;
    /** Flapping devices miss every third heartbeat ... */
    private static final int FLAP_CYCLE = 3;
    /** ... and ask for a timeout of 1.5 intervals: one missed heartbeat is just over it. */
    private static final double FLAP_TIMEOUT_INTERVALS = 1.5;

    private final FleetSchedule steady;
    private final Scenario scenario;
    private final int devices;
    private final long intervalNanos;
    private final long silenceNanos;
    private final long seed;
    private final long atNanos;
    /** Steady sends due before the storm. */
    private final long stormStart;

    public SendPlan(FleetSchedule steady, Scenario scenario, Duration interval, Duration silence, long seed) {
        this.steady = steady;
        this.scenario = scenario;
        this.devices = steady.devices();
        this.intervalNanos = interval.toNanos();
        this.silenceNanos = silence.toNanos();
        this.seed = seed;
        this.atNanos = scenario.at().toNanos();
        this.stormStart = storm() ? steady.sendsBefore(atNanos) : Long.MAX_VALUE;
    }

    public int devices() {
        return devices;
    }

    /** The device that makes send number {@code send}. */
    public int deviceOf(long send) {
        if (send < stormStart) {
            return steady.deviceOf(send);
        }
        if (send < stormStart + devices) {
            return (int) (send - stormStart);
        }
        return steady.deviceOf(send - devices);
    }

    /** When send number {@code send} is due, as an offset from the start of the run; never earlier than the send before. */
    public long sendOffsetNanos(long send) {
        if (send < stormStart) {
            return steady.sendOffsetNanos(send);
        }
        if (send < stormStart + devices) {
            return atNanos;
        }
        return steady.sendOffsetNanos(send - devices);
    }

    /** How many sends are due strictly before {@code offsetNanos}. */
    public long sendsBefore(long offsetNanos) {
        long sends = steady.sendsBefore(offsetNanos);
        return storm() && offsetNanos > atNanos ? sends + devices : sends;
    }

    /** Whether the device keeps quiet at this offset: it dropped out, the outage, or a flapping device's missed heartbeat. */
    public boolean silent(int device, long offsetNanos) {
        if (steady.silent(device, offsetNanos)) {
            return true;
        }
        return switch (scenario.kind()) {
            case OUTAGE -> offsetNanos >= atNanos && offsetNanos - atNanos < silenceNanos;
            case FLAPPING -> flapping(device) && flapRound(device, offsetNanos) % FLAP_CYCLE == FLAP_CYCLE - 1;
            default -> false;
        };
    }

    /** How many devices keep quiet at this offset; costs one check per device. */
    public int silentCount(long offsetNanos) {
        int silent = 0;
        for (int device = 0; device < devices; device++) {
            if (silent(device, offsetNanos)) {
                silent++;
            }
        }
        return silent;
    }

    /** Whether this device flaps: it then names its own timeout, {@link #flappingTimeoutMillis()}. */
    public boolean flapping(int device) {
        return scenario.kind() == Scenario.Kind.FLAPPING && affected(device);
    }

    public long flappingTimeoutMillis() {
        return Math.max(1, Math.round(intervalNanos * FLAP_TIMEOUT_INTERVALS / 1e6));
    }

    /** How far ahead (positive) or behind (negative) this device's clock is. */
    public long clockSkewMillis(int device) {
        if (scenario.kind() != Scenario.Kind.CLOCK_SKEW || !affected(device)) {
            return 0;
        }
        long skew = scenario.skew().toMillis();
        return FleetSchedule.unitHash(seed, device, SKEW_SALT) < 0.5 ? skew : -skew;
    }

    private boolean affected(int device) {
        return FleetSchedule.unitHash(seed, device, AFFECTED_SALT) < scenario.affected();
    }

    /** Which of the device's rounds the offset falls in; -1 before its first send. */
    private long flapRound(int device, long offsetNanos) {
        long sincePhase = offsetNanos - steady.phaseNanos(device);
        return sincePhase < 0 ? -1 : sincePhase / intervalNanos;
    }

    private boolean storm() {
        return scenario.kind() == Scenario.Kind.STORM;
    }
}
