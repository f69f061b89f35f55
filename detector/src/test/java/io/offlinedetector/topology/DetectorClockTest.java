package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.offlinedetector.domain.DetectorTime;
import io.offlinedetector.topology.InputProgress.Stall;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The detector's clock (docs/design.md): never past what the input is provably read to, never past
 * the wall.
 */
class DetectorClockTest {

    private static final long T0 = Instant.parse("2026-11-21T20:00:00Z").toEpochMilli();
    private static final long WALL = T0 + 60_000;
    private static final long UNKNOWN = -1;
    private static final long NO_STREAM_TIME = -1;

    @Nested
    class WithoutAStall {

        @Test
        void caughtUpInputRunsOnTheWallClock() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, Stall.NONE);

            assertEquals(new DetectorTime(WALL, WALL, DetectorTime.NONE, DetectorTime.NONE), at);
        }

        @Test
        void readThroughExactlyAtTheWallIsCaughtUp() {
            assertEquals(WALL, DetectorClock.at(WALL, WALL, NO_STREAM_TIME, Long.MAX_VALUE, Stall.NONE).clock());
        }

        @Test
        @DisplayName("lagging: the broker's read-through time, when it is ahead of stream time")
        void laggingUsesReadThroughWhenAheadOfStreamTime() {
            DetectorTime at = DetectorClock.at(WALL, T0 + 1_000, T0, Long.MAX_VALUE, Stall.NONE);

            assertEquals(T0 + 1_000, at.clock());
            assertEquals(WALL, at.wall(), "the wall clock is kept for detectedAt");
        }

        @Test
        @DisplayName("lagging: stream time, when the backlog has been read further than the broker's view shows")
        void laggingUsesStreamTimeWhenAheadOfReadThrough() {
            assertEquals(T0 + 5_000, DetectorClock.at(WALL, T0 + 1_000, T0 + 5_000, Long.MAX_VALUE, Stall.NONE).clock());
        }

        @Test
        void unknownReadThroughFallsBackToStreamTime() {
            assertEquals(T0 + 2_000, DetectorClock.at(WALL, UNKNOWN, T0 + 2_000, Long.MAX_VALUE, Stall.NONE).clock());
        }

        @Test
        @DisplayName("a producer clock in the future never brings the clock past the wall")
        void futureStreamTimeIsCappedAtTheWall() {
            assertEquals(WALL, DetectorClock.at(WALL, T0, WALL + 3_600_000, Long.MAX_VALUE, Stall.NONE).clock());
            assertEquals(WALL, DetectorClock.at(WALL, UNKNOWN, WALL + 1, Long.MAX_VALUE, Stall.NONE).clock());
        }

        @Test
        @DisplayName("a heartbeat still being handed on from another partition holds the clock, even when this partition is caught up")
        void handOverNotYetReadHoldsTheClock() {
            assertEquals(T0 + 3_000, DetectorClock.at(WALL, Long.MAX_VALUE, T0, T0 + 3_000, Stall.NONE).clock());
            assertEquals(T0 + 3_000, DetectorClock.at(WALL, UNKNOWN, T0 + 9_000, T0 + 3_000, Stall.NONE).clock());
            assertEquals(UNKNOWN, DetectorClock.at(WALL, Long.MAX_VALUE, T0, UNKNOWN, Stall.NONE).clock());
        }

        @Test
        void aHandOverReadThroughTheWallLeavesTheWallClock() {
            assertEquals(WALL, DetectorClock.at(WALL, Long.MAX_VALUE, T0, WALL + 1, Stall.NONE).clock());
        }

        @Test
        void nothingKnownAndNothingReadKeepsTheClockBeforeAnyDeadline() {
            DetectorTime at = DetectorClock.at(WALL, UNKNOWN, NO_STREAM_TIME, Long.MAX_VALUE, Stall.NONE);

            assertEquals(-1, at.clock());
            assertEquals(WALL, at.wall());
        }

        @Test
        void noStallMeansNoStallWindow() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, Stall.NONE);

            assertEquals(DetectorTime.NONE, at.stallFrom());
            assertEquals(DetectorTime.NONE, at.stallUntil());
        }
    }

    @Nested
    class DuringAStall {

        private final long since = T0 + 10_000;

        @Test
        void undeclaredOngoingStallStopsTheClockWhereTheInputStopped() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, new Stall(since, -1, false));

            assertEquals(new DetectorTime(since, WALL, DetectorTime.NONE, DetectorTime.NONE), at);
        }

        @Test
        void declaredOngoingStallStopsTheClockWhereTheInputStopped() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, new Stall(since, -1, true));

            assertEquals(new DetectorTime(since, WALL, DetectorTime.NONE, DetectorTime.NONE), at);
        }

        @Test
        void stallNeverMovesALaggingClockForward() {
            DetectorTime at = DetectorClock.at(WALL, T0 + 1_000, T0, Long.MAX_VALUE, new Stall(since, -1, true));

            assertEquals(T0 + 1_000, at.clock(), "the lower of the read-through time and the stall's start");
        }

        @Test
        void stallCapsAStreamTimeBeyondItsStart() {
            assertEquals(since, DetectorClock.at(WALL, UNKNOWN, since + 5_000, Long.MAX_VALUE, new Stall(since, -1, false)).clock());
        }
    }

    @Nested
    class AfterAStall {

        private final long since = T0 + 10_000;
        private final long resumed = T0 + 50_000;

        @Test
        @DisplayName("an ended declared stall passes its window [since, resumed) on, with the clock running again")
        void endedDeclaredStallPassesItsWindow() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, new Stall(since, resumed, true));

            assertEquals(new DetectorTime(WALL, WALL, since, resumed), at);
        }

        @Test
        void endedDeclaredStallWhileLaggingKeepsTheLaggingClock() {
            DetectorTime at = DetectorClock.at(WALL, resumed + 1_000, T0, Long.MAX_VALUE, new Stall(since, resumed, true));

            assertEquals(new DetectorTime(resumed + 1_000, WALL, since, resumed), at);
        }

        @Test
        @DisplayName("an ended hiccup that was never declared gives no window")
        void endedUndeclaredStallGivesNoWindow() {
            DetectorTime at = DetectorClock.at(WALL, Long.MAX_VALUE, T0, Long.MAX_VALUE, new Stall(since, resumed, false));

            assertEquals(new DetectorTime(WALL, WALL, DetectorTime.NONE, DetectorTime.NONE), at);
        }
    }
}
