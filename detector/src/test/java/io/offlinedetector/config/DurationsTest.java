package io.offlinedetector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesEveryUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }

    @Test
    void toleratesSurroundingWhitespace() {
        assertEquals(Duration.ofSeconds(30), Durations.parse(" 30s\t"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"10", "5 minutes", "-1s", "", " ", "1.5s", "s", "10x", "ms10", "1s2", "PT30S", "1e3ms",
            "１０s", "٣s", "9999999999999s"})
    void rejectsAnythingElseNamingTheFormat(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("500ms"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** Every configured duration is used in milliseconds; one that does not fit must not pass. */
    @Test
    void rejectsDurationsTooLongForMilliseconds() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("999999999999d"));
        assertEquals(Duration.ofDays(999_999_999), Durations.parse("999999999d"));
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("10m", Durations.format(Duration.ofMinutes(10)));
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertEquals("0ms", Durations.format(Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "999ms", "1001ms", "59s", "61m", "25h", "365d"})
    void formatRoundTrips(String text) {
        assertEquals(text, Durations.format(Durations.parse(text)));
    }
}
