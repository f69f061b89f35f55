package io.offlinedetector.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlappingPolicyTest {

    private static final long MINUTE = 60_000;
    private static final FlappingPolicy POLICY = new FlappingPolicy(4, 10 * MINUTE);

    /** Transitions newest first: first seen at {@code times[0]}, then alternating OFFLINE and ONLINE. */
    private static List<Transition> history(long... times) {
        List<Transition> oldestFirst = new ArrayList<>();
        Status previous = Status.UNKNOWN;
        for (int i = 0; i < times.length; i++) {
            Status status = i % 2 == 0 ? Status.ONLINE : Status.OFFLINE;
            Reason reason = i == 0 ? Reason.FIRST_HEARTBEAT : status == Status.ONLINE ? Reason.HEARTBEAT_RESUMED : Reason.TIMEOUT;
            oldestFirst.add(new Transition(status, previous, times[i], reason, i + 1));
            previous = status;
        }
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    @Test
    void flapsWithEnoughTransitionsWithinTheWindow() {
        List<Transition> h = history(0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE);
        assertTrue(POLICY.flappingAt(h, 4 * MINUTE));
    }

    @Test
    void theFirstTransitionIsNoFlap() {
        // four transitions in the window, but the first is the device appearing
        assertFalse(POLICY.flappingAt(history(0, MINUTE, 2 * MINUTE, 3 * MINUTE), 3 * MINUTE));
    }

    @Test
    void calmsOnceTheTransitionsLeaveTheWindow() {
        List<Transition> h = history(0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE);
        assertTrue(POLICY.flappingAt(h, 10 * MINUTE + MINUTE - 1));
        assertFalse(POLICY.flappingAt(h, 11 * MINUTE), "the transition at 1 min is out of the 10 min window ending at 11 min");
    }

    @Test
    void transitionsSlowerThanTheWindowNeverFlap() {
        List<Transition> h = history(0, 4 * MINUTE, 8 * MINUTE, 12 * MINUTE, 16 * MINUTE, 20 * MINUTE);
        for (long at = 0; at <= 30 * MINUTE; at += MINUTE) {
            assertFalse(POLICY.flappingAt(h, at), "at " + at);
        }
    }

    @Test
    void transitionsAfterTheMomentAskedAboutDoNotCount() {
        List<Transition> h = history(0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE);
        assertFalse(POLICY.flappingAt(h, 3 * MINUTE));
    }

    @Test
    void anOfflineEpisodeKeepsTheFlagItStartedWith() {
        // went OFFLINE flapping at 6 min, back ONLINE at 30 min, when the window no longer has enough
        List<Transition> h = history(0, MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE, 5 * MINUTE, 30 * MINUTE);
        assertTrue(POLICY.flappingWhenLastOffline(h));
        assertFalse(POLICY.flappingAt(h, 30 * MINUTE));
        // calm when it went OFFLINE
        assertFalse(POLICY.flappingWhenLastOffline(history(0, MINUTE, 20 * MINUTE, 40 * MINUTE)));
        // never OFFLINE
        assertFalse(POLICY.flappingWhenLastOffline(history(0)));
    }

    @Test
    void needsAtLeastTwoTransitionsInAPositiveWindow() {
        assertThrows(IllegalArgumentException.class, () -> new FlappingPolicy(1, MINUTE));
        assertThrows(IllegalArgumentException.class, () -> new FlappingPolicy(6, 0));
    }
}
