package io.offlinedetector.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TimeoutPolicyTest {

    private static final long DEFAULT = 300_000;
    private static final long MIN = 1_000;
    private static final long MAX = 3_600_000;

    private final TimeoutPolicy policy =
            new TimeoutPolicy(DEFAULT, MIN, MAX, Map.of("thermostat", 600_000L, "tracker", 30_000L));

    @Test
    void heartbeatsOwnTimeoutWinsOverTypeAndDefault() {
        assertEquals(45_000, policy.resolve(45_000L, "thermostat"));
        assertEquals(45_000, policy.resolve(45_000L, null));
        assertEquals(45_000, policy.resolve(new Heartbeat("d", 0, "thermostat", null, 45_000L)));
    }

    @Test
    void typeTimeoutWinsOverDefault() {
        assertEquals(600_000, policy.resolve(null, "thermostat"));
        assertEquals(30_000, policy.resolve(new Heartbeat("d", 0, "tracker", null, null)));
    }

    @Test
    void unknownOrMissingTypeFallsBackToDefault() {
        assertEquals(DEFAULT, policy.resolve(null, "toaster"));
        assertEquals(DEFAULT, policy.resolve(null, null));
        assertEquals(DEFAULT, policy.resolve(Heartbeat.bare("d", 0)));
    }

    @Test
    void typeNamesAreCaseSensitive() {
        assertEquals(DEFAULT, policy.resolve(null, "Thermostat"));
    }

    @Test
    void requestedTimeoutIsClampedToMinAndMax() {
        assertEquals(MIN, policy.resolve(1L, null));
        assertEquals(MIN, policy.resolve(999L, "thermostat"));
        assertEquals(MIN, policy.resolve(MIN, null));
        assertEquals(MAX, policy.resolve(MAX, null));
        assertEquals(MAX, policy.resolve(MAX + 1, null));
        assertEquals(MAX, policy.resolve(Long.MAX_VALUE, null));
    }

    @Test
    void typeAndDefaultTimeoutsAreClampedToo() {
        TimeoutPolicy outOfRange = new TimeoutPolicy(10, MIN, MAX, Map.of("slow", Long.MAX_VALUE, "fast", 5L));
        assertEquals(MIN, outOfRange.resolve(null, null));
        assertEquals(MAX, outOfRange.resolve(null, "slow"));
        assertEquals(MIN, outOfRange.resolve(null, "fast"));
    }

    @Test
    void minEqualToMaxIsAllowedAndFixesEveryTimeout() {
        TimeoutPolicy fixed = new TimeoutPolicy(DEFAULT, 5_000, 5_000, Map.of());
        assertEquals(5_000, fixed.resolve(1L, null));
        assertEquals(5_000, fixed.resolve(null, null));
        assertEquals(5_000, fixed.resolve(Long.MAX_VALUE, null));
    }

    @Test
    @DisplayName("timeout.min greater than timeout.max is rejected with a message naming both")
    void rejectsMinGreaterThanMax() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new TimeoutPolicy(DEFAULT, 10_000, 9_999, Map.of()));
        assertTrue(e.getMessage().contains("timeout.min"), e.getMessage());
        assertTrue(e.getMessage().contains("timeout.max"), e.getMessage());
        assertTrue(e.getMessage().contains("10000"), e.getMessage());
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
    }

    @Test
    @DisplayName("timeout.min of zero or less is rejected with a clear message")
    void rejectsNonPositiveMin() {
        for (long min : new long[] {0, -1, Long.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> new TimeoutPolicy(DEFAULT, min, MAX, Map.of()));
            assertTrue(e.getMessage().contains("timeout.min must be positive"), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(min)), e.getMessage());
        }
    }

    @Test
    void typeTimeoutsAreCopiedSoLaterChangesToTheCallersMapDoNotLeakIn() {
        Map<String, Long> types = new HashMap<>();
        types.put("thermostat", 600_000L);
        TimeoutPolicy copied = new TimeoutPolicy(DEFAULT, MIN, MAX, types);
        types.put("thermostat", 2_000L);
        types.put("tracker", 2_000L);
        assertEquals(600_000, copied.resolve(null, "thermostat"));
        assertEquals(DEFAULT, copied.resolve(null, "tracker"));
    }
}
