package io.offlinedetector.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.topology.InputProgress.Stall;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tells an ingestion outage from a fleet outage. Driven with explicit observation times, one every
 * {@link #POLL} ms as the monitor polls, with the defaults: 100 records/s, declared after 2 s of
 * quiet, rate measured over 10 s.
 */
class StallGuardTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long POLL = 200;
    private static final double MIN_RATE = 100;
    private static final long DECLARE_AFTER = 2_000;
    private static final long RATE_WINDOW = 10_000;

    /** The input as the monitor sees it: the time of the last observation and the summed end offsets. */
    private long time = T0;
    private long total = 5_000; // a topic with history: the end offsets do not start at zero

    private final StallGuard guard = new StallGuard(true, MIN_RATE, DECLARE_AFTER, RATE_WINDOW);

    /** Observes the input every poll for {@code durationMs}, growing by {@code perSecond} records/s. */
    private void traffic(StallGuard target, double perSecond, long durationMs) {
        long polls = durationMs / POLL;
        for (long i = 0; i < polls; i++) {
            time += POLL;
            total += Math.round(perSecond * POLL / 1000.0);
            target.observe(time, total);
        }
    }

    private void traffic(double perSecond, long durationMs) {
        traffic(guard, perSecond, durationMs);
    }

    private void quiet(StallGuard target, long durationMs) {
        traffic(target, 0, durationMs);
    }

    private void quiet(long durationMs) {
        quiet(guard, durationMs);
    }

    /** The first observation, then steady traffic well above the minimum rate. */
    private long steadyTraffic() {
        guard.observe(time, total);
        traffic(1_000, 12_000);
        return time; // the last growth
    }

    @Test
    void steadyTrafficIsNoStall() {
        steadyTraffic();

        assertEquals(Stall.NONE, guard.stall());
    }

    @Test
    @DisplayName("steady traffic then silence: an undeclared stall from the last growth, at the first quiet poll")
    void silenceAfterSteadyTrafficHoldsAtOnceFromTheLastGrowth() {
        long lastGrowth = steadyTraffic();

        quiet(POLL);

        assertEquals(new Stall(lastGrowth, -1, false), guard.stall());
        assertTrue(guard.stall().ongoing());
    }

    @Test
    @DisplayName("the stall is declared once the quiet has lasted declareAfter, counted from the last growth")
    void stallIsDeclaredAfterTheQuietLastsDeclareAfter() {
        long lastGrowth = steadyTraffic();

        quiet(DECLARE_AFTER - POLL);
        assertEquals(new Stall(lastGrowth, -1, false), guard.stall(), "still possibly a hiccup");

        quiet(POLL);
        assertEquals(new Stall(lastGrowth, -1, true), guard.stall());

        quiet(60_000);
        assertEquals(new Stall(lastGrowth, -1, true), guard.stall(), "a long stall keeps its start");
    }

    @Test
    @DisplayName("a declared stall ends when the total grows again, and stays known as the last stall")
    void declaredStallEndsWhenTheInputGrowsAgain() {
        long lastGrowth = steadyTraffic();
        quiet(30_000);

        traffic(1_000, POLL);
        long resumed = time;

        assertEquals(new Stall(lastGrowth, resumed, true), guard.stall());
        assertFalse(guard.stall().ongoing());

        traffic(1_000, 20_000);
        assertEquals(new Stall(lastGrowth, resumed, true), guard.stall(), "the last stall is kept while traffic flows");
    }

    @Test
    @DisplayName("a hiccup shorter than declareAfter ends without being declared: back to NONE")
    void shortHiccupEndsUndeclared() {
        steadyTraffic();
        quiet(DECLARE_AFTER - POLL);
        assertTrue(guard.stall().ongoing());

        traffic(1_000, POLL);

        assertEquals(Stall.NONE, guard.stall());
    }

    @Test
    void aSecondStallReplacesTheFirst() {
        steadyTraffic();
        quiet(10_000);
        traffic(1_000, 12_000);
        long secondLastGrowth = time;

        quiet(DECLARE_AFTER);

        assertEquals(new Stall(secondLastGrowth, -1, true), guard.stall());
    }

    @Test
    @DisplayName("small fleet: a few records then silence never engage the guard")
    void smallFleetNeverEngages() {
        guard.observe(time, total);
        for (int i = 0; i < 3; i++) {
            time += POLL;
            total += 1;
            guard.observe(time, total);
        }

        quiet(120_000);

        assertEquals(Stall.NONE, guard.stall());
    }

    @Test
    @DisplayName("steady traffic below minRate, then silence: NONE forever")
    void trafficBelowTheMinimumRateNeverEngages() {
        guard.observe(time, total);
        traffic(50, 20_000);

        quiet(120_000);

        assertEquals(Stall.NONE, guard.stall());
    }

    @Test
    @DisplayName("an idle topic with old records at start-up is no stall")
    void idleTopicAtStartUpIsNoStall() {
        guard.observe(time, 1_000_000);
        total = 1_000_000;

        quiet(60_000);

        assertEquals(Stall.NONE, guard.stall());
    }

    @Test
    void disabledGuardNeverEngages() {
        StallGuard disabled = new StallGuard(false, MIN_RATE, DECLARE_AFTER, RATE_WINDOW);
        disabled.observe(time, total);
        traffic(disabled, 10_000, 12_000);

        quiet(disabled, 60_000);
        assertEquals(Stall.NONE, disabled.stall());

        traffic(disabled, 10_000, 1_000);
        assertEquals(Stall.NONE, disabled.stall());
    }

    @Test
    @DisplayName("a single burst above minRate, then silence, is no stall: steady means every slice saw records")
    void aSingleBurstIsNoStall() {
        guard.observe(time, total);
        quiet(12_000);
        time += POLL;
        total += 5_000;
        guard.observe(time, total);

        quiet(60_000);

        assertEquals(Stall.NONE, guard.stall());
    }
}
