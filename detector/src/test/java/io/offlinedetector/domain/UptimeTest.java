package io.offlinedetector.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Uptime over a window, from the kept transitions and the current state: no Kafka, the time passed in. */
class UptimeTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = Uptime.DAY_MS;
    private static final long WEEK = Uptime.WEEK_MS;
    private static final long NOW = 1_800_000_000_000L;

    private static Transition online(long at, long sequence) {
        return new Transition(Status.ONLINE, sequence == 1 ? Status.UNKNOWN : Status.OFFLINE, at,
                sequence == 1 ? Reason.FIRST_HEARTBEAT : Reason.HEARTBEAT_RESUMED, sequence);
    }

    private static Transition offline(long at, long sequence) {
        return new Transition(Status.OFFLINE, Status.ONLINE, at, Reason.TIMEOUT, sequence);
    }

    /** The state after {@code last}: its status since its change. */
    private static DeviceState after(Transition last) {
        return new DeviceState(last.status(), last.changedAt(), last.changedAt(), 60_000, null, null, last.sequence(),
                DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
    }

    @Test
    void aDeviceOnlineSinceBeforeTheWindowWasUpTheWholeWindow() {
        List<Transition> kept = List.of(online(NOW - 30 * DAY, 1));

        assertThat(Uptime.share(kept, after(kept.get(0)), NOW, DAY)).isEqualTo(1.0);
        assertThat(Uptime.share(kept, after(kept.get(0)), NOW, WEEK)).isEqualTo(1.0);
        assertThat(Uptime.complete(kept, after(kept.get(0)), NOW)).isTrue();
    }

    @Test
    void countsTheOnlineTimeOfEachWindowFromTheTransitions() {
        // first seen 10 days ago; offline for 6 h ending 12 h ago, and for 1 day 3 days ago
        List<Transition> kept = List.of(
                online(NOW - 10 * DAY, 1),
                offline(NOW - 4 * DAY, 2),
                online(NOW - 3 * DAY, 3),
                offline(NOW - 18 * HOUR, 4),
                online(NOW - 12 * HOUR, 5));

        assertThat(Uptime.share(kept, after(kept.get(4)), NOW, DAY)).isCloseTo(18.0 / 24, within(1e-9));
        assertThat(Uptime.share(kept, after(kept.get(4)), NOW, WEEK)).isCloseTo((7 * 24 - 30) / (7.0 * 24), within(1e-9));
    }

    @Test
    void theTransitionsMayComeInAnyOrder() {
        List<Transition> newestFirst = List.of(online(NOW - 12 * HOUR, 3), offline(NOW - 18 * HOUR, 2), online(NOW - 10 * DAY, 1));

        assertThat(Uptime.share(newestFirst, after(newestFirst.get(0)), NOW, DAY)).isCloseTo(18.0 / 24, within(1e-9));
    }

    @Test
    void aDeviceFirstSeenInsideTheWindowIsMeasuredSinceItWasFirstSeen() {
        // first seen 10 h ago, offline for the last 2 h
        List<Transition> kept = List.of(online(NOW - 10 * HOUR, 1), offline(NOW - 2 * HOUR, 2));

        assertThat(Uptime.share(kept, after(kept.get(1)), NOW, DAY)).isCloseTo(0.8, within(1e-9));
        assertThat(Uptime.share(kept, after(kept.get(1)), NOW, WEEK)).isCloseTo(0.8, within(1e-9));
        assertThat(Uptime.complete(kept, after(kept.get(1)), NOW)).as("its first transition is kept").isTrue();
    }

    @Test
    void aDeviceOfflineSinceBeforeTheWindowWasDownTheWholeWindow() {
        List<Transition> kept = List.of(online(NOW - 20 * DAY, 1), offline(NOW - 9 * DAY, 2));

        assertThat(Uptime.share(kept, after(kept.get(1)), NOW, DAY)).isEqualTo(0.0);
        assertThat(Uptime.share(kept, after(kept.get(1)), NOW, WEEK)).isEqualTo(0.0);
    }

    @Test
    void aDeviceOnlyOnlineSoFarWasUpTheWholeTimeSinceFirstSeen() {
        List<Transition> kept = List.of(online(NOW - 5 * HOUR, 1));

        assertThat(Uptime.share(kept, after(kept.get(0)), NOW, DAY)).isEqualTo(1.0);
        assertThat(Uptime.share(kept, after(kept.get(0)), NOW, WEEK)).isEqualTo(1.0);
    }

    @Test
    void aDeviceSeenForTheFirstTimeJustNowIsUpByItsStatus() {
        List<Transition> kept = List.of(online(NOW, 1));

        assertThat(Uptime.share(kept, after(kept.get(0)), NOW, DAY)).isEqualTo(1.0);
    }

    @Test
    void anIncompleteHistoryIsMeasuredOverTheTimeItCovers() {
        // transitions before 50 were trimmed; the oldest kept is two days old
        List<Transition> kept = List.of(offline(NOW - 2 * DAY, 50), online(NOW - DAY - 12 * HOUR, 51), offline(NOW - 12 * HOUR, 52));

        assertThat(Uptime.complete(kept, after(kept.get(2)), NOW)).isFalse();
        assertThat(Uptime.share(kept, after(kept.get(2)), NOW, WEEK)).isCloseTo(1.0 / 2, within(1e-9));
        assertThat(Uptime.share(kept, after(kept.get(2)), NOW, DAY)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aTrimmedHistoryThatStillReachesBackAWeekIsComplete() {
        List<Transition> kept = List.of(offline(NOW - 8 * DAY, 50), online(NOW - 6 * DAY, 51));

        assertThat(Uptime.complete(kept, after(kept.get(1)), NOW)).isTrue();
        assertThat(Uptime.share(kept, after(kept.get(1)), NOW, WEEK)).isCloseTo(6.0 / 7, within(1e-9));
    }

    @Test
    void aDeviceWithoutKeptTransitionsIsMeasuredFromItsCurrentStatus() {
        // kept by a version without history: only the state says OFFLINE since 3 h ago (its 7th transition)
        DeviceState state = after(offline(NOW - 3 * HOUR, 7));

        assertThat(Uptime.share(List.of(), state, NOW, DAY)).isEqualTo(0.0);
        assertThat(Uptime.complete(List.of(), state, NOW)).isFalse();
        assertThat(Uptime.complete(List.of(), after(online(NOW - 3 * HOUR, 1)), NOW)).as("its first transition").isTrue();
    }
}
