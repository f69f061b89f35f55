package io.offlinedetector.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator's schedule is pure arithmetic: checked here without Kafka and without a clock. */
class FleetScheduleTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration SILENCE = Duration.ofSeconds(30);

    @Test
    @DisplayName("device i sends at phase i * interval / N, once per interval")
    void spreadsDevicesEvenlyOverTheInterval() {
        FleetSchedule schedule = new FleetSchedule(1000, INTERVAL, 0, SILENCE, 1);

        assertEquals(0, schedule.phaseNanos(0));
        assertEquals(10_000_000, schedule.phaseNanos(1));
        assertEquals(5_000_000_000L, schedule.phaseNanos(500));
        assertEquals(9_990_000_000L, schedule.phaseNanos(999));
        // send k is device k mod N, one interval later each round
        assertEquals(7, schedule.deviceOf(2007));
        assertEquals(2 * INTERVAL.toNanos() + 70_000_000, schedule.sendOffsetNanos(2007));
    }

    @Test
    void sendsAreDueInOrderAtASteadyRate() {
        FleetSchedule schedule = new FleetSchedule(7, Duration.ofMillis(1000), 0, SILENCE, 1);
        long previous = -1;
        for (long send = 0; send < 7 * 5; send++) {
            long due = schedule.sendOffsetNanos(send);
            assertTrue(due > previous, "send " + send + " is due after the one before");
            // never more than one step of interval / N (rounded up) from the evenly spaced ideal
            long ideal = send * 1_000_000_000L / 7;
            assertTrue(Math.abs(due - ideal) <= 1, "send " + send + " is due at " + due + ", ideal " + ideal);
            previous = due;
        }
    }

    @Test
    void countsTheSendsDueBeforeAnOffsetExactly() {
        FleetSchedule schedule = new FleetSchedule(7, Duration.ofMillis(1000), 0, SILENCE, 1);
        for (long offset = 0; offset < 3_100_000_000L; offset += 37_000_001L) {
            long expected = 0;
            while (schedule.sendOffsetNanos(expected) < offset) {
                expected++;
            }
            assertEquals(expected, schedule.sendsBefore(offset), "sends before " + offset);
        }
    }

    @Test
    void phasesStayExactForLargeFleetsAndLongIntervals() {
        FleetSchedule schedule = new FleetSchedule(10_000_000, Duration.ofDays(1), 0, SILENCE, 1);
        assertEquals(Duration.ofDays(1).toNanos() / 2, schedule.phaseNanos(5_000_000));
        assertEquals(Duration.ofDays(1).toNanos() - Duration.ofDays(1).toNanos() / 10_000_000, schedule.phaseNanos(9_999_999));
    }

    @Test
    @DisplayName("the same seed silences the same devices at the same times")
    void silenceIsDeterministicForASeed() {
        FleetSchedule one = new FleetSchedule(500, INTERVAL, 0.3, SILENCE, 42);
        FleetSchedule two = new FleetSchedule(500, INTERVAL, 0.3, SILENCE, 42);
        for (long offset = 0; offset < Duration.ofMinutes(10).toNanos(); offset += Duration.ofMillis(7_777).toNanos()) {
            for (int device = 0; device < 500; device++) {
                assertEquals(one.silent(device, offset), two.silent(device, offset));
            }
        }
    }

    @Test
    void anotherSeedSilencesOtherDevices() {
        long offset = Duration.ofMinutes(5).toNanos();
        assertNotEquals(silentDevices(new FleetSchedule(500, INTERVAL, 0.3, SILENCE, 1), offset),
                silentDevices(new FleetSchedule(500, INTERVAL, 0.3, SILENCE, 2), offset));
    }

    @Test
    void aDeviceIsSilentForWholeEpochsOfTheSilenceLength() {
        FleetSchedule schedule = new FleetSchedule(100, INTERVAL, 0.5, SILENCE, 7);
        long silenceNanos = SILENCE.toNanos();
        for (int device = 0; device < 100; device++) {
            long start = silenceNanos * 3 - silenceNanos * device / 100;   // the start of its epoch 3
            long epoch = schedule.epochOf(device, start);
            assertEquals(3, epoch);
            boolean silent = schedule.silent(device, start);
            assertEquals(silent, schedule.silent(device, start + silenceNanos - 1), "same state to the end of the epoch");
            assertEquals(4, schedule.epochOf(device, start + silenceNanos));
        }
    }

    @Test
    void everyDeviceIsHeardInItsFirstEpoch() {
        FleetSchedule schedule = new FleetSchedule(1000, INTERVAL, 1.0, SILENCE, 3);
        for (int device = 0; device < 1000; device++) {
            assertFalse(schedule.silent(device, 0), "device " + device + " at the start");
        }
        // and with a dropout of 1, every device is silent once its first epoch is over
        assertEquals(1000, schedule.silentCount(SILENCE.toNanos()));
    }

    @Test
    void aDropoutOfZeroNeverSilencesAnyone() {
        FleetSchedule schedule = new FleetSchedule(1000, INTERVAL, 0, SILENCE, 3);
        for (long offset = 0; offset < Duration.ofMinutes(30).toNanos(); offset += SILENCE.toNanos() / 3) {
            assertEquals(0, schedule.silentCount(offset));
        }
    }

    @Test
    void aboutTheDropoutShareIsSilentAtAnyMomentAndDevicesComeBack() {
        FleetSchedule schedule = new FleetSchedule(10_000, INTERVAL, 0.2, SILENCE, 11);
        Set<Integer> everSilent = new HashSet<>();
        Set<Integer> cameBack = new HashSet<>();
        List<Set<Integer>> snapshots = new ArrayList<>();
        for (int step = 2; step < 12; step++) {
            long offset = step * SILENCE.toNanos();
            Set<Integer> silent = silentDevices(schedule, offset);
            double share = silent.size() / 10_000.0;
            assertTrue(share > 0.18 && share < 0.22, "share silent at step " + step + ": " + share);
            if (!snapshots.isEmpty()) {
                Set<Integer> back = new HashSet<>(snapshots.get(snapshots.size() - 1));
                back.removeAll(silent);
                cameBack.addAll(back);
            }
            everSilent.addAll(silent);
            snapshots.add(silent);
        }
        assertTrue(cameBack.size() > 1000, "silent devices come back: " + cameBack.size());
        assertTrue(everSilent.size() > 5000, "it is not always the same devices: " + everSilent.size());
    }

    @Test
    void hashIsUniformEnough() {
        int below = 0;
        for (int device = 0; device < 100_000; device++) {
            if (FleetSchedule.unitHash(5, device, 9) < 0.25) {
                below++;
            }
        }
        assertTrue(below > 24_000 && below < 26_000, "hashes below 0.25: " + below);
    }

    private static Set<Integer> silentDevices(FleetSchedule schedule, long offset) {
        Set<Integer> silent = new HashSet<>();
        for (int device = 0; device < schedule.devices(); device++) {
            if (schedule.silent(device, offset)) {
                silent.add(device);
            }
        }
        return silent;
    }
}
