package io.offlinedetector.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The transition rules of docs/design.md, 'Transitions', including the lazy timer filing, as pure
 * functions.
 */
class TransitionRulesTest {

    private static final String ID = "sensor-42";
    private static final long T0 = Instant.parse("2026-11-21T20:00:00Z").toEpochMilli();
    private static final long TIMEOUT = 4_000;
    private static final long THERMOSTAT_TIMEOUT = 10_000;
    private static final long SKEW = 60_000;

    private final TransitionRules rules = new TransitionRules(
            new TimeoutPolicy(TIMEOUT, 1_000, 3_600_000, Map.of("thermostat", THERMOSTAT_TIMEOUT)), SKEW);

    private static Heartbeat beat(long time) {
        return Heartbeat.bare(ID, time);
    }

    private static Heartbeat beat(long time, String type, Long timeoutMs) {
        return new Heartbeat(ID, time, type, null, timeoutMs);
    }

    private static Heartbeat beatInGroup(long time, String group) {
        return new Heartbeat(ID, time, null, group, null);
    }

    /** A device online since T0, seen at T0, filed under T0 + TIMEOUT. */
    private DeviceState online() {
        return rules.onHeartbeat(null, beat(T0), T0).state();
    }

    /** A device that went offline by timeout after a single heartbeat at T0. */
    private DeviceState offline() {
        DeviceState online = online();
        return rules.onTimer(ID, online, online.timerAt(), T0 + TIMEOUT).state();
    }

    @Nested
    class FirstHeartbeat {

        @Test
        void makesTheDeviceOnlineWithFirstHeartbeatEvent() {
            Outcome outcome = rules.onHeartbeat(null, beat(T0), T0 + 120);

            assertTrue(outcome.changed());
            StatusChange change = outcome.change();
            assertEquals(ID, change.deviceId());
            assertEquals(Status.ONLINE, change.status());
            assertEquals(Status.UNKNOWN, change.previousStatus());
            assertEquals(Reason.FIRST_HEARTBEAT, change.reason());
            assertEquals(1, change.sequence());
            assertEquals(T0, change.changedAt(), "changedAt is the heartbeat's time");
            assertEquals(T0 + 120, change.detectedAt(), "detectedAt is the detector's clock");
            assertEquals(T0, change.lastSeen());
            assertEquals(TIMEOUT, change.timeoutMs());
            assertNull(change.deviceType());
        }

        @Test
        void storesStateAndFilesTheTimerAtTheDeadline() {
            DeviceState state = rules.onHeartbeat(null, beat(T0), T0 + 120).state();

            assertEquals(new DeviceState(Status.ONLINE, T0, T0, TIMEOUT, null, null, 1, T0 + TIMEOUT, DeviceState.NO_REQUEST), state);
            assertEquals(T0 + TIMEOUT, state.deadline());
            assertTrue(state.hasTimer());
        }

        @Test
        void carriesTheDeviceTypeAndItsTimeout() {
            Outcome outcome = rules.onHeartbeat(null, beat(T0, "thermostat", null), T0);

            assertEquals("thermostat", outcome.state().deviceType());
            assertEquals(THERMOSTAT_TIMEOUT, outcome.state().timeoutMs());
            assertEquals(T0 + THERMOSTAT_TIMEOUT, outcome.state().timerAt());
            assertEquals("thermostat", outcome.change().deviceType());
            assertEquals(THERMOSTAT_TIMEOUT, outcome.change().timeoutMs());
        }

        @Test
        void usesTheHeartbeatsOwnTimeout() {
            Outcome outcome = rules.onHeartbeat(null, beat(T0, "thermostat", 2_500L), T0);

            assertEquals(2_500, outcome.state().timeoutMs());
            assertEquals(T0 + 2_500, outcome.state().timerAt());
        }

        @Test
        @DisplayName("an old first heartbeat (from a backlog) still makes the device ONLINE at its own time")
        void oldFirstHeartbeatIsOnlineAtItsOwnTime() {
            Outcome outcome = rules.onHeartbeat(null, beat(T0), T0 + 60 * TIMEOUT);

            assertEquals(Status.ONLINE, outcome.state().status());
            assertEquals(T0, outcome.change().changedAt());
            assertEquals(T0 + TIMEOUT, outcome.state().timerAt(), "due at once, so the next check finds it silent");
        }
    }

    @Nested
    class HeartbeatsWhileOnline {

        @Test
        void updateLastSeenWithoutAnEvent() {
            DeviceState before = online();
            Outcome outcome = rules.onHeartbeat(before, beat(T0 + 1_000), T0 + 1_000);

            assertFalse(outcome.changed());
            DeviceState after = outcome.state();
            assertEquals(Status.ONLINE, after.status());
            assertEquals(T0 + 1_000, after.lastSeen());
            assertEquals(T0, after.since(), "still online since the first heartbeat");
            assertEquals(1, after.sequence());
            assertEquals(T0 + 1_000 + TIMEOUT, after.deadline());
        }

        @Test
        void outOfOrderHeartbeatNeverMovesLastSeenBack() {
            DeviceState seenLater = rules.onHeartbeat(online(), beat(T0 + 2_000), T0 + 2_000).state();
            Outcome outcome = rules.onHeartbeat(seenLater, beat(T0 + 1_000, "thermostat", 9_000L), T0 + 2_100);

            assertFalse(outcome.changed());
            assertSame(seenLater, outcome.state(), "an older heartbeat carries no news at all");
        }

        @Test
        void heartbeatAtTheSameTimeAsLastSeenChangesNothing() {
            DeviceState before = online();
            Outcome outcome = rules.onHeartbeat(before, beat(T0), T0 + 10);

            assertFalse(outcome.changed());
            assertEquals(before, outcome.state());
        }

        @Test
        @DisplayName("timer filing stays lazy: a later deadline leaves timerAt alone")
        void laterDeadlineLeavesTheTimerFilingAlone() {
            DeviceState before = online();
            DeviceState after = rules.onHeartbeat(before, beat(T0 + 1_500), T0 + 1_500).state();

            assertEquals(before.timerAt(), after.timerAt());
            assertTrue(after.timerAt() < after.deadline(), "filing may lag behind the real deadline");
        }

        @Test
        void longerTimeoutLeavesTheTimerFilingAlone() {
            DeviceState before = online();
            DeviceState after = rules.onHeartbeat(before, beat(T0 + 100, null, 60_000L), T0 + 100).state();

            assertEquals(60_000, after.timeoutMs());
            assertEquals(before.timerAt(), after.timerAt());
        }

        @Test
        @DisplayName("a smaller timeoutMs that brings the deadline earlier re-files the timer there")
        void shorterTimeoutMovesTheTimerFilingEarlier() {
            DeviceState before = rules.onHeartbeat(null, beat(T0, "thermostat", null), T0).state();
            assertEquals(T0 + THERMOSTAT_TIMEOUT, before.timerAt());

            DeviceState after = rules.onHeartbeat(before, beat(T0 + 1_000, null, 2_000L), T0 + 1_000).state();

            assertEquals(2_000, after.timeoutMs());
            assertEquals(T0 + 3_000, after.deadline());
            assertEquals(T0 + 3_000, after.timerAt());
        }

        @Test
        void shorterTimeoutThatStillEndsAfterTheFilingLeavesItAlone() {
            DeviceState before = online(); // filed at T0 + 4000
            DeviceState after = rules.onHeartbeat(before, beat(T0 + 3_000, null, 2_000L), T0 + 3_000).state();

            assertEquals(T0 + 5_000, after.deadline());
            assertEquals(T0 + TIMEOUT, after.timerAt());
        }

        @Test
        void latestHeartbeatsTimeoutAppliesFromThenOn() {
            DeviceState custom = rules.onHeartbeat(online(), beat(T0 + 100, null, 2_000L), T0 + 100).state();
            DeviceState longer = rules.onHeartbeat(custom, beat(T0 + 200, null, 9_000L), T0 + 200).state();

            assertEquals(2_000, custom.timeoutMs());
            assertEquals(9_000, longer.timeoutMs());
            assertEquals(T0 + 9_200, longer.deadline());
        }

        @Test
        void heartbeatWithoutATypeKeepsTheKnownTypeAndANewTypeReplacesIt() {
            DeviceState typed = rules.onHeartbeat(online(), beat(T0 + 100, "thermostat", null), T0 + 100).state();
            DeviceState untyped = rules.onHeartbeat(typed, beat(T0 + 200), T0 + 200).state();
            DeviceState retyped = rules.onHeartbeat(untyped, beat(T0 + 300, "tracker", null), T0 + 300).state();

            assertEquals("thermostat", typed.deviceType());
            assertEquals(THERMOSTAT_TIMEOUT, typed.timeoutMs());
            assertEquals("thermostat", untyped.deviceType());
            assertEquals("tracker", retyped.deviceType());
        }
    }

    @Nested
    class Timer {

        @Test
        @DisplayName("onTimer before the real deadline re-arms to that deadline without a change")
        void firingBeforeTheDeadlineRearms() {
            DeviceState filed = online();
            DeviceState heardFrom = rules.onHeartbeat(filed, beat(T0 + 3_000), T0 + 3_000).state();

            Outcome outcome = rules.onTimer(ID, heardFrom, heardFrom.timerAt(), T0 + TIMEOUT);

            assertFalse(outcome.changed());
            assertEquals(heardFrom.withTimerAt(T0 + 3_000 + TIMEOUT), outcome.state());
            assertEquals(Status.ONLINE, outcome.state().status());
        }

        @Test
        void firingAtTheDeadlineReportsOfflineByTimeout() {
            DeviceState online = rules.onHeartbeat(null, beat(T0, "thermostat", null), T0).state();

            Outcome outcome = rules.onTimer(ID, online, online.timerAt(), T0 + THERMOSTAT_TIMEOUT);

            assertTrue(outcome.changed());
            StatusChange change = outcome.change();
            assertEquals(ID, change.deviceId());
            assertEquals(Status.OFFLINE, change.status());
            assertEquals(Status.ONLINE, change.previousStatus());
            assertEquals(Reason.TIMEOUT, change.reason());
            assertEquals(T0 + THERMOSTAT_TIMEOUT, change.changedAt());
            assertEquals(T0 + THERMOSTAT_TIMEOUT, change.detectedAt());
            assertEquals(T0, change.lastSeen());
            assertEquals(THERMOSTAT_TIMEOUT, change.timeoutMs());
            assertEquals("thermostat", change.deviceType());
            assertEquals(2, change.sequence());

            assertEquals(
                    new DeviceState(Status.OFFLINE, T0, T0 + THERMOSTAT_TIMEOUT, THERMOSTAT_TIMEOUT, "thermostat", null, 2,
                            DeviceState.NO_TIMER, DeviceState.NO_REQUEST),
                    outcome.state());
            assertFalse(outcome.state().hasTimer());
        }

        @Test
        @DisplayName("offline is dated at lastSeen + timeout however late it is detected")
        void lateDetectionStillDatesOfflineAtTheDeadline() {
            DeviceState heardFrom = rules.onHeartbeat(online(), beat(T0 + 1_000), T0 + 1_000).state();
            long now = T0 + 3_600_000;

            // The old filing fires after the real deadline has passed as well: no re-arm, offline at once.
            Outcome outcome = rules.onTimer(ID, heardFrom, heardFrom.timerAt(), now);

            assertEquals(Status.OFFLINE, outcome.state().status());
            assertEquals(T0 + 1_000 + TIMEOUT, outcome.change().changedAt());
            assertEquals(now, outcome.change().detectedAt());
            assertEquals(T0 + 1_000, outcome.change().lastSeen());
        }

        @Test
        void reportsOfflineOnceWhenHeartbeatsStop() {
            DeviceState state = online();
            int events = 0;
            for (long now = T0 + 500; now <= T0 + 20 * TIMEOUT; now += 500) {
                if (state.hasTimer() && state.timerAt() <= now) {
                    Outcome outcome = rules.onTimer(ID, state, state.timerAt(), now);
                    state = outcome.state();
                    events += outcome.changed() ? 1 : 0;
                }
            }
            assertEquals(1, events);
            assertEquals(Status.OFFLINE, state.status());
        }

        @Test
        void staleFilingGivesNoChange() {
            DeviceState shortened = rules.onHeartbeat(online(), beat(T0 + 500, null, 1_000L), T0 + 500).state();
            assertEquals(T0 + 1_500, shortened.timerAt());

            Outcome outcome = rules.onTimer(ID, shortened, T0 + TIMEOUT, T0 + TIMEOUT);

            assertFalse(outcome.changed());
            assertSame(shortened, outcome.state());
        }

        @Test
        void filingOfAnOfflineDeviceGivesNoChange() {
            DeviceState offline = offline();
            Outcome outcome = rules.onTimer(ID, offline, T0 + TIMEOUT, T0 + 10 * TIMEOUT);

            assertFalse(outcome.changed());
            assertSame(offline, outcome.state());
        }

        @Test
        void filingOfAnUnknownDeviceGivesNoChange() {
            Outcome outcome = rules.onTimer(ID, null, T0, T0 + 1);

            assertFalse(outcome.changed());
            assertNull(outcome.state());
        }
    }

    @Nested
    class HeartbeatsWhileOffline {

        @Test
        void freshHeartbeatResumesWithSequenceThree() {
            DeviceState offline = offline();
            long now = T0 + 7_000;

            Outcome outcome = rules.onHeartbeat(offline, beat(now - 100), now);

            assertTrue(outcome.changed());
            StatusChange change = outcome.change();
            assertEquals(Status.ONLINE, change.status());
            assertEquals(Status.OFFLINE, change.previousStatus());
            assertEquals(Reason.HEARTBEAT_RESUMED, change.reason());
            assertEquals(3, change.sequence());
            assertEquals(now - 100, change.changedAt(), "changedAt is the heartbeat's time");
            assertEquals(now, change.detectedAt());
            assertEquals(now - 100, change.lastSeen());

            assertEquals(
                    new DeviceState(Status.ONLINE, now - 100, now - 100, TIMEOUT, null, null, 3, now - 100 + TIMEOUT, DeviceState.NO_REQUEST),
                    outcome.state());
        }

        @Test
        void heartbeatWhoseDeadlineIsJustAheadResumes() {
            long now = T0 + 20_000;
            Outcome outcome = rules.onHeartbeat(offline(), beat(now - TIMEOUT + 1), now);

            assertTrue(outcome.changed());
            assertEquals(Reason.HEARTBEAT_RESUMED, outcome.change().reason());
        }

        @Test
        @DisplayName("an older heartbeat while OFFLINE only updates lastSeen: no event, no timer")
        void olderHeartbeatOnlyUpdatesLastSeen() {
            DeviceState offline = offline();
            long now = T0 + 20_000;

            Outcome outcome = rules.onHeartbeat(offline, beat(T0 + 2_000, "thermostat", null), now);

            assertFalse(outcome.changed());
            DeviceState state = outcome.state();
            assertEquals(Status.OFFLINE, state.status());
            assertEquals(T0 + 2_000, state.lastSeen());
            assertEquals(offline.since(), state.since());
            assertEquals(offline.sequence(), state.sequence());
            assertEquals("thermostat", state.deviceType());
            assertFalse(state.hasTimer());
        }

        @Test
        @DisplayName("a heartbeat whose time + timeout equals now is not ahead of the clock: stays OFFLINE")
        void heartbeatWhoseDeadlineIsNowDoesNotResume() {
            long now = T0 + 20_000;
            Outcome outcome = rules.onHeartbeat(offline(), beat(now - TIMEOUT), now);

            assertFalse(outcome.changed());
            assertEquals(Status.OFFLINE, outcome.state().status());
            assertEquals(now - TIMEOUT, outcome.state().lastSeen());
        }

        @Test
        void olderHeartbeatWithALongerTimeoutResumes() {
            long now = T0 + 20_000;
            Outcome outcome = rules.onHeartbeat(offline(), beat(T0 + 2_000, null, 60_000L), now);

            assertTrue(outcome.changed());
            assertEquals(T0 + 2_000, outcome.change().changedAt());
            assertEquals(T0 + 62_000, outcome.state().timerAt());
        }

        @Test
        void heartbeatOlderThanLastSeenIsIgnored() {
            DeviceState offline = offline();
            Outcome outcome = rules.onHeartbeat(offline, beat(T0 - 1_000), T0 + 5_000);

            assertFalse(outcome.changed());
            assertSame(offline, outcome.state());
        }

        @Test
        void fullLifeCycleNumbersTransitionsOneTwoThreeFour() {
            DeviceState s = null;
            Outcome first = rules.onHeartbeat(s, beat(T0), T0);
            s = first.state();
            Outcome timeout = rules.onTimer(ID, s, s.timerAt(), T0 + TIMEOUT);
            s = timeout.state();
            Outcome resumed = rules.onHeartbeat(s, beat(T0 + 9_000), T0 + 9_000);
            s = resumed.state();
            Outcome again = rules.onTimer(ID, s, s.timerAt(), T0 + 13_000);

            assertEquals(1, first.change().sequence());
            assertEquals(2, timeout.change().sequence());
            assertEquals(3, resumed.change().sequence());
            assertEquals(4, again.change().sequence());
            assertEquals(T0 + 13_000, again.change().changedAt());
            assertEquals(T0 + 9_000, again.state().lastSeen());
        }
    }

    @Nested
    class ClockSkew {

        @Test
        @DisplayName("a timestamp more than clock.skew.max ahead of now counts as now")
        void timestampTooFarAheadCountsAsNow() {
            long now = T0;
            Outcome outcome = rules.onHeartbeat(null, beat(now + SKEW + 1), now);

            assertEquals(now, outcome.change().changedAt());
            assertEquals(now, outcome.state().lastSeen());
            assertEquals(now + TIMEOUT, outcome.state().timerAt());
        }

        @Test
        void timestampWithinTheSkewIsKept() {
            long now = T0;
            Outcome outcome = rules.onHeartbeat(null, beat(now + SKEW), now);

            assertEquals(now + SKEW, outcome.change().changedAt());
            assertEquals(now + SKEW, outcome.state().lastSeen());
        }

        @Test
        void skewedHeartbeatOfAnOnlineDeviceCountsAsNow() {
            DeviceState online = online();
            long now = T0 + 1_000;
            DeviceState next = rules.onHeartbeat(online, beat(now + 365L * 24 * 3600 * 1000), now).state();

            assertEquals(now, next.lastSeen());
            assertEquals(now + TIMEOUT, next.deadline());
        }

        @Test
        void skewedHeartbeatOfAnOfflineDeviceResumesAtNow() {
            long now = T0 + 30_000;
            Outcome outcome = rules.onHeartbeat(offline(), beat(now + 2 * SKEW), now);

            assertNotNull(outcome.change());
            assertEquals(Reason.HEARTBEAT_RESUMED, outcome.change().reason());
            assertEquals(now, outcome.change().changedAt());
        }
    }

    @Nested
    @DisplayName("a device's choices hold until it makes another")
    class StickyChoices {

        @Test
        void aBareHeartbeatKeepsTheDeviceTypeAndItsTimeout() {
            DeviceState typed = rules.onHeartbeat(null, beat(T0, "thermostat", null), T0).state();
            DeviceState next = rules.onHeartbeat(typed, beat(T0 + 1_000), T0 + 1_000).state();

            assertEquals("thermostat", next.deviceType());
            assertEquals(THERMOSTAT_TIMEOUT, next.timeoutMs());
        }

        @Test
        void aBareHeartbeatKeepsTheDevicesOwnTimeout() {
            DeviceState own = rules.onHeartbeat(null, beat(T0, null, 20_000L), T0).state();
            DeviceState next = rules.onHeartbeat(own, beat(T0 + 1_000), T0 + 1_000).state();

            assertEquals(20_000, next.timeoutMs());
            assertEquals(T0 + 21_000, next.deadline());
        }

        @Test
        void aNewChoiceReplacesTheOldOne() {
            DeviceState own = rules.onHeartbeat(null, beat(T0, "thermostat", 20_000L), T0).state();
            DeviceState next = rules.onHeartbeat(own, beat(T0 + 1_000, "camera", 2_000L), T0 + 1_000).state();

            assertEquals("camera", next.deviceType());
            assertEquals(2_000, next.timeoutMs());
            assertEquals(T0 + 3_000, next.timerAt(), "a shorter deadline re-files the timer earlier");
        }

        @Test
        void theFirstHeartbeatsGroupIsKeptAndAnnounced() {
            Outcome first = rules.onHeartbeat(null, new Heartbeat(ID, T0, "thermostat", "site-7", null), T0);

            assertEquals("site-7", first.state().group());
            assertEquals("site-7", first.change().group());
            assertEquals("thermostat", first.state().deviceType());
            assertEquals(THERMOSTAT_TIMEOUT, first.state().timeoutMs(), "a group does not choose a timeout");
        }

        @Test
        void aDeviceWithoutAGroupHasNone() {
            Outcome first = rules.onHeartbeat(null, beat(T0), T0);

            assertNull(first.state().group());
            assertNull(first.change().group());
        }

        @Test
        @DisplayName("a heartbeat without a group (absent or null in the JSON) keeps the group, also while OFFLINE")
        void aBareHeartbeatKeepsTheGroup() {
            DeviceState grouped = rules.onHeartbeat(null, beatInGroup(T0, "site-7"), T0).state();
            DeviceState online = rules.onHeartbeat(grouped, beat(T0 + 1_000), T0 + 1_000).state();
            DeviceState offline = rules.onTimer(ID, online, online.timerAt(), T0 + 1_000 + TIMEOUT).state();
            DeviceState late = rules.onHeartbeat(offline, beat(T0 + 2_000), T0 + 20_000).state();

            assertEquals("site-7", online.group());
            assertEquals(Status.OFFLINE, offline.status());
            assertEquals("site-7", offline.group());
            assertEquals(Status.OFFLINE, late.status(), "too late to resume");
            assertEquals("site-7", late.group());
        }

        @Test
        void aNewGroupReplacesTheOldOneAndLeavesTheTypeAlone() {
            DeviceState first = rules.onHeartbeat(null, new Heartbeat(ID, T0, "thermostat", "site-7", null), T0).state();
            DeviceState moved = rules.onHeartbeat(first, beatInGroup(T0 + 1_000, "site-8"), T0 + 1_000).state();
            DeviceState typed = rules.onHeartbeat(moved, beat(T0 + 2_000, "camera", null), T0 + 2_000).state();

            assertEquals("site-8", moved.group());
            assertEquals("thermostat", moved.deviceType());
            assertEquals("site-8", typed.group());
            assertEquals("camera", typed.deviceType());
        }

        @Test
        void anOlderHeartbeatsGroupIsIgnored() {
            DeviceState grouped = rules.onHeartbeat(null, beatInGroup(T0 + 1_000, "site-7"), T0 + 1_000).state();
            Outcome older = rules.onHeartbeat(grouped, beatInGroup(T0, "site-1"), T0 + 1_100);

            assertSame(grouped, older.state());
            assertEquals("site-7", older.state().group());
        }

        @Test
        @DisplayName("every event carries the group in force: FIRST_HEARTBEAT, TIMEOUT, HEARTBEAT_RESUMED")
        void everyEventCarriesTheGroupInForce() {
            Outcome first = rules.onHeartbeat(null, beatInGroup(T0, "site-7"), T0);
            Outcome timeout = rules.onTimer(ID, first.state(), first.state().timerAt(), T0 + TIMEOUT);
            // A late heartbeat while OFFLINE moves the device to another group without an event ...
            Outcome late = rules.onHeartbeat(timeout.state(), beatInGroup(T0 + 100, "site-8"), T0 + TIMEOUT + 200);
            Outcome resumed = rules.onHeartbeat(late.state(), beat(T0 + 9_000), T0 + 9_000);
            Outcome again = rules.onTimer(ID, resumed.state(), resumed.state().timerAt(), T0 + 9_000 + TIMEOUT);

            assertEquals("site-7", first.change().group());
            assertEquals("site-7", timeout.change().group());
            assertNull(late.change());
            // ... and the next events name it.
            assertEquals(Reason.HEARTBEAT_RESUMED, resumed.change().reason());
            assertEquals("site-8", resumed.change().group());
            assertEquals(Reason.TIMEOUT, again.change().reason());
            assertEquals("site-8", again.change().group());
        }
    }

    @Nested
    @DisplayName("the detector's clock and ingestion-stall holds")
    class DetectorClockAndStalls {

        /** The input stopped at T0 + 1 s and flowed again at T0 + 60 s. */
        private static final long STALL_FROM = T0 + 1_000;
        private static final long STALL_UNTIL = T0 + 60_000;

        private DetectorTime afterStall(long clock, long wall) {
            return new DetectorTime(clock, wall, STALL_FROM, STALL_UNTIL);
        }

        @Test
        void caughtUpTimeIsTheWallClockWithoutAStall() {
            assertEquals(new DetectorTime(T0, T0, DetectorTime.NONE, DetectorTime.NONE), DetectorTime.caughtUp(T0));
        }

        @Test
        void withoutAStallADeadlineIsJudgeableAtItself() {
            assertEquals(T0 + TIMEOUT, DetectorTime.caughtUp(T0 + 99_000).judgeableAt(T0 + TIMEOUT, TIMEOUT));
        }

        @Test
        @DisplayName("judgeableAt: a deadline in [stallFrom, stallUntil) waits a full timeout after the resume")
        void deadlineInsideTheStallWindowWaitsAFullTimeoutAfterTheResume() {
            DetectorTime at = afterStall(STALL_UNTIL, STALL_UNTIL);

            assertEquals(STALL_UNTIL + TIMEOUT, at.judgeableAt(STALL_FROM, TIMEOUT), "the window includes its start");
            assertEquals(STALL_UNTIL + TIMEOUT, at.judgeableAt(T0 + TIMEOUT, TIMEOUT));
            assertEquals(STALL_UNTIL + THERMOSTAT_TIMEOUT, at.judgeableAt(STALL_UNTIL - 1, THERMOSTAT_TIMEOUT));
        }

        @Test
        void deadlinesOutsideTheStallWindowAreJudgeableAtThemselves() {
            DetectorTime at = afterStall(STALL_UNTIL, STALL_UNTIL);

            assertEquals(STALL_FROM - 1, at.judgeableAt(STALL_FROM - 1, TIMEOUT));
            assertEquals(STALL_UNTIL, at.judgeableAt(STALL_UNTIL, TIMEOUT), "the window excludes its end");
            assertEquals(STALL_UNTIL + 5, at.judgeableAt(STALL_UNTIL + 5, TIMEOUT));
        }

        @Test
        @DisplayName("a deadline inside the stall is re-filed at resumed + timeout, without an event")
        void deadlineInsideTheStallIsRefiledWithoutAnEvent() {
            DeviceState online = online(); // deadline T0 + 4 s, inside the stall

            Outcome outcome = rules.onTimer(ID, online, online.timerAt(), afterStall(STALL_UNTIL, STALL_UNTIL));

            assertFalse(outcome.changed());
            assertEquals(online.withTimerAt(STALL_UNTIL + TIMEOUT), outcome.state());
            assertEquals(Status.ONLINE, outcome.state().status());
            assertTrue(outcome.state().timerAt() > outcome.state().deadline(), "a held decision files after the deadline");
        }

        @Test
        @DisplayName("not heard from after the resume: OFFLINE at its real deadline, once the clock reaches resumed + timeout")
        void silentDeviceIsOfflineAtItsRealDeadlineAfterTheGrace() {
            DeviceState held = rules.onTimer(ID, online(), T0 + TIMEOUT, afterStall(STALL_UNTIL, STALL_UNTIL)).state();

            Outcome early = rules.onTimer(ID, held, held.timerAt(), afterStall(STALL_UNTIL + TIMEOUT - 1, STALL_UNTIL + TIMEOUT + 500));
            assertFalse(early.changed(), "a clock one millisecond short of the grace decides nothing");
            assertEquals(held, early.state());

            long wall = STALL_UNTIL + TIMEOUT + 700;
            Outcome outcome = rules.onTimer(ID, held, held.timerAt(), afterStall(STALL_UNTIL + TIMEOUT, wall));

            assertTrue(outcome.changed());
            StatusChange change = outcome.change();
            assertEquals(Status.OFFLINE, change.status());
            assertEquals(Reason.TIMEOUT, change.reason());
            assertEquals(T0 + TIMEOUT, change.changedAt(), "it went silent at its real deadline");
            assertEquals(wall, change.detectedAt(), "detectedAt is the wall clock");
            assertEquals(T0, change.lastSeen());
            assertEquals(2, change.sequence());
            assertFalse(outcome.state().hasTimer());
        }

        @Test
        @DisplayName("heard from within a timeout after the resume: no event, judged at its new deadline")
        void deviceHeardFromAfterTheResumeStaysOnline() {
            DeviceState held = rules.onTimer(ID, online(), T0 + TIMEOUT, afterStall(STALL_UNTIL, STALL_UNTIL)).state();
            long back = STALL_UNTIL + 1_000;
            Outcome beat = rules.onHeartbeat(held, beat(back), afterStall(back, back));
            assertFalse(beat.changed());
            assertEquals(STALL_UNTIL + TIMEOUT, beat.state().timerAt(), "the held filing is earlier than the new deadline");

            Outcome fired = rules.onTimer(ID, beat.state(), beat.state().timerAt(), afterStall(STALL_UNTIL + TIMEOUT, STALL_UNTIL + TIMEOUT));

            assertFalse(fired.changed());
            assertEquals(Status.ONLINE, fired.state().status());
            assertEquals(back + TIMEOUT, fired.state().timerAt(), "re-armed to its real deadline, outside the stall");
        }

        @Test
        @DisplayName("a deadline before the stall is judged as before: OFFLINE at once")
        void deadlineBeforeTheStallIsJudgedAsBefore() {
            DeviceState early = rules.onHeartbeat(null, beat(T0 - 10_000), T0 - 10_000).state(); // deadline T0 - 6 s

            Outcome outcome = rules.onTimer(ID, early, early.timerAt(), afterStall(STALL_UNTIL, STALL_UNTIL + 100));

            assertTrue(outcome.changed());
            assertEquals(T0 - 6_000, outcome.change().changedAt());
            assertEquals(STALL_UNTIL + 100, outcome.change().detectedAt());
        }

        @Test
        void deadlineAfterTheStallIsJudgedAtItself() {
            DeviceState late = rules.onHeartbeat(null, beat(STALL_UNTIL - 1_000), STALL_UNTIL - 1_000).state(); // deadline resumed + 3 s
            long deadline = STALL_UNTIL + 3_000;

            Outcome outcome = rules.onTimer(ID, late, late.timerAt(), afterStall(deadline, deadline + 250));

            assertTrue(outcome.changed());
            assertEquals(deadline, outcome.change().changedAt());
            assertEquals(deadline + 250, outcome.change().detectedAt());
        }

        @Test
        @DisplayName("decisions use the clock, not the wall: a lagging clock short of the deadline re-arms")
        void laggingClockShortOfTheRealDeadlineRearms() {
            DeviceState heardFrom = rules.onHeartbeat(online(), beat(T0 + 3_000), T0 + 3_000).state(); // filed T0+4s, deadline T0+7s
            DetectorTime lagging = new DetectorTime(T0 + TIMEOUT, T0 + 3_600_000, DetectorTime.NONE, DetectorTime.NONE);

            Outcome outcome = rules.onTimer(ID, heardFrom, heardFrom.timerAt(), lagging);

            assertFalse(outcome.changed(), "the wall clock is an hour on, but the input is read only through T0 + 4 s");
            assertEquals(T0 + 7_000, outcome.state().timerAt());
        }

        @Test
        @DisplayName("detectedAt is the wall time while changedAt is the deadline reached on the clock")
        void laggingClockAtTheDeadlineReportsWithTheWallAsDetectedAt() {
            long wall = T0 + 3_600_000;
            DetectorTime lagging = new DetectorTime(T0 + TIMEOUT, wall, DetectorTime.NONE, DetectorTime.NONE);

            Outcome outcome = rules.onTimer(ID, online(), T0 + TIMEOUT, lagging);

            assertEquals(T0 + TIMEOUT, outcome.change().changedAt());
            assertEquals(wall, outcome.change().detectedAt());
        }

        @Test
        void firstHeartbeatIsDetectedAtTheWallClock() {
            DetectorTime lagging = new DetectorTime(T0 + 500, T0 + 60_000, DetectorTime.NONE, DetectorTime.NONE);

            StatusChange change = rules.onHeartbeat(null, beat(T0), lagging).change();

            assertEquals(T0, change.changedAt());
            assertEquals(T0 + 60_000, change.detectedAt());
        }

        @Test
        @DisplayName("while OFFLINE, a backlog heartbeat resumes when time + timeout is past the clock, however late the wall")
        void offlineDeviceResumesAgainstTheClockNotTheWall() {
            long clock = T0 + 12_000;
            long wall = T0 + 3_600_000;
            DetectorTime lagging = new DetectorTime(clock, wall, DetectorTime.NONE, DetectorTime.NONE);

            Outcome outcome = rules.onHeartbeat(offline(), beat(T0 + 10_000), lagging); // deadline T0 + 14 s > clock

            assertTrue(outcome.changed());
            assertEquals(Reason.HEARTBEAT_RESUMED, outcome.change().reason());
            assertEquals(T0 + 10_000, outcome.change().changedAt());
            assertEquals(wall, outcome.change().detectedAt());
            assertEquals(T0 + 14_000, outcome.state().timerAt());
        }

        @Test
        void offlineDeviceStaysOfflineWhenTimePlusTimeoutIsNotPastTheClock() {
            DetectorTime lagging = new DetectorTime(T0 + 12_000, T0 + 3_600_000, DetectorTime.NONE, DetectorTime.NONE);

            Outcome outcome = rules.onHeartbeat(offline(), beat(T0 + 8_000), lagging); // deadline T0 + 12 s = clock

            assertFalse(outcome.changed());
            assertEquals(Status.OFFLINE, outcome.state().status());
            assertEquals(T0 + 8_000, outcome.state().lastSeen());
            assertFalse(outcome.state().hasTimer());
        }
    }
}
