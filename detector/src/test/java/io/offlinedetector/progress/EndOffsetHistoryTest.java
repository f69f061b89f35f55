package io.offlinedetector.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One partition's end offsets over time: "the latest time the end was at most n" is the time up to
 * which a task whose next offset is n has provably read its input.
 */
class EndOffsetHistoryTest {

    private static final long T0 = 1_000_000L;

    private final EndOffsetHistory history = new EndOffsetHistory();

    @Test
    void nothingObservedIsUnknown() {
        assertEquals(-1, history.latestTimeWithEndAtMost(0));
        assertEquals(-1, history.latestTimeWithEndAtMost(Long.MAX_VALUE));
    }

    @Test
    @DisplayName("offsets before, at and after the runs")
    void offsetsBeforeAtAndAfterTheRuns() {
        history.observe(10, T0);
        history.observe(20, T0 + 100);
        history.observe(30, T0 + 200);

        assertEquals(-1, history.latestTimeWithEndAtMost(9), "before the first end seen: nothing is known");
        assertEquals(T0, history.latestTimeWithEndAtMost(10));
        assertEquals(T0, history.latestTimeWithEndAtMost(19));
        assertEquals(T0 + 100, history.latestTimeWithEndAtMost(20));
        assertEquals(T0 + 100, history.latestTimeWithEndAtMost(29));
        assertEquals(T0 + 200, history.latestTimeWithEndAtMost(30));
        assertEquals(T0 + 200, history.latestTimeWithEndAtMost(1_000), "beyond the last end: the last observation");
    }

    @Test
    @DisplayName("an unchanged end extends its run: an idle partition is read through the latest observation")
    void unchangedEndExtendsTheRunsTime() {
        history.observe(10, T0);
        history.observe(20, T0 + 100);
        history.observe(20, T0 + 200);
        history.observe(20, T0 + 300);

        assertEquals(T0, history.latestTimeWithEndAtMost(19));
        assertEquals(T0 + 300, history.latestTimeWithEndAtMost(20));
    }

    @Test
    void olderObservationNeverMovesARunsTimeBack() {
        history.observe(20, T0 + 300);
        history.observe(20, T0 + 100);

        assertEquals(T0 + 300, history.latestTimeWithEndAtMost(20));
    }

    @Test
    void aSmallerEndThanTheLastCountsAsUnchanged() {
        history.observe(20, T0);
        history.observe(15, T0 + 100);

        assertEquals(-1, history.latestTimeWithEndAtMost(15), "the end never shrinks: no run for 15 is made up");
        assertEquals(T0 + 100, history.latestTimeWithEndAtMost(20));
    }

    @Test
    void emptyPartitionAtOffsetZeroIsReadThroughFromTheStart() {
        history.observe(0, T0);
        history.observe(0, T0 + 500);

        assertEquals(T0 + 500, history.latestTimeWithEndAtMost(0));
    }

    @Test
    @DisplayName("growth beyond MAX_RUNS forgets the older half and stays right for recent offsets")
    void growthBeyondMaxRunsForgetsTheOlderHalf() {
        int runs = EndOffsetHistory.MAX_RUNS + 1;
        for (int i = 1; i <= runs; i++) {
            history.observe(i * 10L, T0 + i);
        }

        int firstKept = runs - EndOffsetHistory.MAX_RUNS / 2; // runs 1 .. MAX_RUNS/2 were dropped, plus the newest added
        assertEquals(-1, history.latestTimeWithEndAtMost(10), "the oldest runs are forgotten");
        assertEquals(-1, history.latestTimeWithEndAtMost(firstKept * 10L - 1));
        assertEquals(T0 + firstKept, history.latestTimeWithEndAtMost(firstKept * 10L));
        assertEquals(T0 + runs - 1, history.latestTimeWithEndAtMost(runs * 10L - 1));
        assertEquals(T0 + runs, history.latestTimeWithEndAtMost(runs * 10L));
        assertEquals(T0 + runs, history.latestTimeWithEndAtMost(Long.MAX_VALUE));

        history.observe(runs * 10L, T0 + runs + 50);
        assertEquals(T0 + runs + 50, history.latestTimeWithEndAtMost(runs * 10L), "still extends its last run");
    }

    @Test
    void staysCorrectOverManyForgettingRounds() {
        int runs = EndOffsetHistory.MAX_RUNS * 5 + 17;
        for (int i = 1; i <= runs; i++) {
            history.observe(i * 10L, T0 + i * 2L);
        }

        for (int i = runs - 100; i <= runs; i++) {
            assertEquals(T0 + i * 2L, history.latestTimeWithEndAtMost(i * 10L));
            assertEquals(T0 + i * 2L, history.latestTimeWithEndAtMost(i * 10L + 9));
        }
        assertEquals(-1, history.latestTimeWithEndAtMost(EndOffsetHistory.MAX_RUNS * 10L));
    }
}
