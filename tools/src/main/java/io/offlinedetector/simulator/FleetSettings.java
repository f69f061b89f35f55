package io.offlinedetector.simulator;

import io.offlinedetector.config.StartupException;
import io.offlinedetector.config.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link FleetSimulator} simulates. Checked on construction; every problem is a
 * {@link StartupException} with one line naming the option.
 *
 * @param devices       fleet size; device {@code i} is {@code prefix + i}
 * @param interval      each device's heartbeat interval
 * @param dropout       share of devices that are silent in each silence epoch (0..1)
 * @param silence       how long a device that drops out stays silent
 * @param types         device types, assigned round-robin (device {@code i} gets
 *                      {@code types[i % size]}); empty means heartbeats with an empty value
 * @param duration      how long the run lasts; a run always ends
 * @param progressEvery how often a {@link Progress} is reported
 * @param scenario      what happens to the fleet besides its steady heartbeats and dropouts
 */
public record FleetSettings(
        int devices,
        Duration interval,
        double dropout,
        Duration silence,
        List<String> types,
        Duration duration,
        String prefix,
        long seed,
        Duration progressEvery,
        Scenario scenario) {

    public static final int MAX_DEVICES = 10_000_000;
    /** Longest run: a year. Runs are always bounded. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);
    /** A device id is at most 200 bytes (docs/design.md, "Heartbeats"); the number takes at most 8 of them. */
    private static final int MAX_PREFIX_BYTES = 192;
    private static final int MAX_TYPE_LENGTH = 64;

    public FleetSettings {
        if (devices < 1 || devices > MAX_DEVICES) {
            throw new StartupException("--devices must be from 1 to " + MAX_DEVICES + ", not " + devices);
        }
        requirePositive("--interval", interval);
        if (interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new StartupException("--interval must be at most 1d, not " + Durations.format(interval));
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new StartupException("--dropout must be a share from 0 to 1, not " + dropout);
        }
        requirePositive("--silence", silence);
        requirePositive("--duration", duration);
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new StartupException("--duration must be at most " + Durations.format(MAX_DURATION));
        }
        requirePositive("progress interval", progressEvery);
        types = List.copyOf(types);
        for (String type : types) {
            if (type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
                throw new StartupException("--types: '" + type + "' is not a device type (1 to " + MAX_TYPE_LENGTH + " characters)");
            }
        }
        if (prefix == null) {
            throw new StartupException("--prefix must not be missing");
        }
        if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
            throw new StartupException("--prefix must be at most " + MAX_PREFIX_BYTES + " bytes in UTF-8");
        }
        if (prefix.chars().anyMatch(Character::isISOControl)) {
            throw new StartupException("--prefix must not contain control characters");
        }
        if (scenario == null) {
            throw new StartupException("--scenario must not be missing");
        }
        if (scenario.at().compareTo(duration) >= 0 && scenario.kind() != Scenario.Kind.STEADY) {
            throw new StartupException("--at (" + Durations.format(scenario.at()) + ") must come before the end of the run ("
                    + Durations.format(duration) + ")");
        }
    }

    public FleetSettings withProgressEvery(Duration every) {
        return new FleetSettings(devices, interval, dropout, silence, types, duration, prefix, seed, every, scenario);
    }

    public FleetSchedule schedule() {
        return new FleetSchedule(devices, interval, dropout, silence, seed);
    }

    public SendPlan plan() {
        return new SendPlan(schedule(), scenario, interval, silence, seed);
    }

    public String deviceId(int device) {
        return prefix + device;
    }

    /** Heartbeats per second while no device is silent. */
    public double fullRatePerSecond() {
        return devices * 1e9 / interval.toNanos();
    }

    /** One line saying what will run, for the console; the caller adds where it goes. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%,d devices (%s0..%s%d%s), a heartbeat every %s each (%,.0f/s), %.0f%% of them silent for %s at a time, %s, for %s",
                devices, prefix, prefix, devices - 1,
                types.isEmpty() ? "" : ", types " + String.join(",", types),
                Durations.format(interval), fullRatePerSecond(), dropout * 100, Durations.format(silence),
                scenario.describe(silence), Durations.format(duration));
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new StartupException(option + " must be greater than zero");
        }
    }
}
