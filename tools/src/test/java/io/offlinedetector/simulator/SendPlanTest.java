package io.offlinedetector.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scenarios are arithmetic on top of the steady schedule: checked here without Kafka or a clock. */
class SendPlanTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration SILENCE = Duration.ofSeconds(20);
    private static final long SECOND = 1_000_000_000L;

    private static SendPlan plan(int devices, double dropout, Scenario scenario) {
        return new SendPlan(new FleetSchedule(devices, INTERVAL, dropout, SILENCE, 7), scenario, INTERVAL, SILENCE, 7);
    }

    private static Scenario scenario(Scenario.Kind kind, Duration at, double affected, Duration skew) {
        return new Scenario(kind, at, affected, skew);
    }

    @Test
    void steadyIsTheSteadySchedule() {
        FleetSchedule steady = new FleetSchedule(10, INTERVAL, 0.2, SILENCE, 7);
        SendPlan plan = plan(10, 0.2, Scenario.STEADY);

        for (long send = 0; send < 100; send++) {
            assertThat(plan.deviceOf(send)).isEqualTo(steady.deviceOf(send));
            assertThat(plan.sendOffsetNanos(send)).isEqualTo(steady.sendOffsetNanos(send));
            assertThat(plan.silent(plan.deviceOf(send), plan.sendOffsetNanos(send))).isEqualTo(steady.silent(steady.deviceOf(send), steady.sendOffsetNanos(send)));
        }
        assertThat(plan.sendsBefore(7 * SECOND + 1)).isEqualTo(steady.sendsBefore(7 * SECOND + 1));
    }

    @Test
    @DisplayName("storm: at its time every device sends once, all at once; before and after, the steady sends")
    void stormSendsEveryDeviceAtOnceThenSteady() {
        SendPlan plan = plan(10, 0, scenario(Scenario.Kind.STORM, Duration.ofMillis(2_500), 0, Duration.ZERO));

        // the steady sends before 2.5 s: rounds 0 and 1, and devices 0..4 of round 2
        List<Integer> storm = new ArrayList<>();
        for (long send = 25; send < 35; send++) {
            assertThat(plan.sendOffsetNanos(send)).isEqualTo(2_500_000_000L);
            storm.add(plan.deviceOf(send));
        }
        assertThat(storm).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(plan.deviceOf(24)).isEqualTo(4);
        assertThat(plan.sendOffsetNanos(24)).isEqualTo(2_400_000_000L);
        assertThat(plan.deviceOf(35)).as("then steady again").isEqualTo(5);
        assertThat(plan.sendOffsetNanos(35)).isEqualTo(2_500_000_000L);
        assertThat(plan.sendOffsetNanos(36)).isEqualTo(2_600_000_000L);
    }

    @ParameterizedTest
    @EnumSource(Scenario.Kind.class)
    @DisplayName("in every scenario sends are due in order, and sendsBefore counts exactly the sends due before")
    void sendsAreInOrderAndCountedExactly(Scenario.Kind kind) {
        SendPlan plan = plan(7, 0.1, scenario(kind, Duration.ofMillis(1_300), 0.5, Duration.ofSeconds(5)));
        long previous = -1;
        for (long send = 0; send < 60; send++) {
            assertThat(plan.sendOffsetNanos(send)).isGreaterThanOrEqualTo(previous);
            previous = plan.sendOffsetNanos(send);
        }
        for (long offset = 0; offset < 5 * SECOND; offset += 37_000_001L) {
            long expected = 0;
            while (plan.sendOffsetNanos(expected) < offset) {
                expected++;
            }
            assertThat(plan.sendsBefore(offset)).as("sends before %d", offset).isEqualTo(expected);
        }
    }

    @Test
    void outageSilencesEveryDeviceForTheSilenceThenNone() {
        SendPlan plan = plan(100, 0, scenario(Scenario.Kind.OUTAGE, Duration.ofSeconds(30), 0, Duration.ZERO));

        assertThat(plan.silentCount(30 * SECOND - 1)).isZero();
        assertThat(plan.silentCount(30 * SECOND)).isEqualTo(100);
        assertThat(plan.silentCount(50 * SECOND - 1)).isEqualTo(100);
        assertThat(plan.silentCount(50 * SECOND)).isZero();
    }

    @Test
    @DisplayName("flapping devices skip every third heartbeat and ask for 1.5 intervals: the gaps are just under and just over it")
    void flappingDevicesSkipEveryThirdHeartbeatAroundTheirTimeout() {
        SendPlan plan = plan(1_000, 0, scenario(Scenario.Kind.FLAPPING, Duration.ZERO, 0.3, Duration.ZERO));
        List<Integer> flapping = new ArrayList<>();
        for (int device = 0; device < 1_000; device++) {
            if (plan.flapping(device)) {
                flapping.add(device);
            }
        }
        assertThat(flapping.size()).isBetween(250, 350);
        assertThat(plan.flappingTimeoutMillis()).isEqualTo(1_500);

        int device = flapping.get(0);
        List<Boolean> silentRounds = new ArrayList<>();
        for (long send = device; send < 9_000L; send += 1_000) { // this device's sends, one per round
            silentRounds.add(plan.silent(device, plan.sendOffsetNanos(send)));
        }
        assertThat(silentRounds).containsExactly(false, false, true, false, false, true, false, false, true);

        int steadyDevice = java.util.stream.IntStream.range(0, 1_000).filter(d -> !plan.flapping(d)).findFirst().orElseThrow();
        for (long send = steadyDevice; send < 9_000L; send += 1_000) {
            assertThat(plan.silent(steadyDevice, plan.sendOffsetNanos(send))).isFalse();
        }
    }

    @Test
    void skewedClocksAreHalfAheadAndHalfBehind() {
        SendPlan plan = plan(10_000, 0, scenario(Scenario.Kind.CLOCK_SKEW, Duration.ZERO, 0.2, Duration.ofMinutes(2)));
        Map<Long, Integer> bySkew = new HashMap<>();
        for (int device = 0; device < 10_000; device++) {
            bySkew.merge(plan.clockSkewMillis(device), 1, Integer::sum);
        }

        assertThat(bySkew.keySet()).containsExactlyInAnyOrder(0L, 120_000L, -120_000L);
        assertThat(bySkew.get(120_000L)).isBetween(850, 1_150);
        assertThat(bySkew.get(-120_000L)).isBetween(850, 1_150);
    }

    @Test
    void onlyTheirOwnScenarioFlapsOrSkews() {
        SendPlan skewed = plan(100, 0, scenario(Scenario.Kind.CLOCK_SKEW, Duration.ZERO, 1, Duration.ofMinutes(2)));
        SendPlan flapping = plan(100, 0, scenario(Scenario.Kind.FLAPPING, Duration.ZERO, 1, Duration.ofMinutes(2)));
        for (int device = 0; device < 100; device++) {
            assertThat(skewed.flapping(device)).isFalse();
            assertThat(flapping.clockSkewMillis(device)).isZero();
        }
    }

    @Test
    void theSameSeedChoosesTheSameDevices() {
        Scenario scenario = scenario(Scenario.Kind.CLOCK_SKEW, Duration.ZERO, 0.5, Duration.ofSeconds(30));
        SendPlan one = plan(500, 0, scenario);
        SendPlan two = plan(500, 0, scenario);
        for (int device = 0; device < 500; device++) {
            assertThat(one.clockSkewMillis(device)).isEqualTo(two.clockSkewMillis(device));
        }
    }
}
