package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IsoTimesTest {

    private static final long YEAR_1000 = Instant.parse("1000-01-01T00:00:00Z").toEpochMilli();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli();

    @Test
    @DisplayName("writes and reads every millisecond instant as Instant does: 100,000 drawn from years 1000 to 9999")
    void agreesWithInstantOnDrawnInstants() {
        Random random = new Random(20261122L);
        for (int i = 0; i < 100_000; i++) {
            long millis = YEAR_1000 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_1000));
            if (i % 3 == 0) {
                millis -= Math.floorMod(millis, 1000); // whole seconds too, which have no fraction
            }
            assertRoundTrip(millis);
        }
    }

    @Test
    void agreesWithInstantOnTheEdges() {
        for (String edge : List.of("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z", "1969-12-31T23:59:59.999Z",
                "2024-02-29T12:00:00.500Z", "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z", "2000-02-29T00:00:00.010Z",
                "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z")) {
            long millis = Instant.parse(edge).toEpochMilli();
            assertThat(IsoTimes.format(millis)).isEqualTo(edge);
            assertRoundTrip(millis);
        }
    }

    @Test
    @DisplayName("years Instant writes with another width or a sign are handed to Instant")
    void yearsOutsideFourDigitsAreInstants() {
        for (String far : List.of("0999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00.001Z")) {
            assertRoundTrip(Instant.parse(far).toEpochMilli());
        }
    }

    @Test
    @DisplayName("any other text reads as Instant.parse reads it, or fails as it does")
    void otherTextIsInstantsToJudge() {
        assertThat(IsoTimes.parse("2026-11-21T20:10:00.412345Z")).isEqualTo(Instant.parse("2026-11-21T20:10:00.412345Z").toEpochMilli());
        assertThat(IsoTimes.parse("2026-11-21T20:10:00.4Z")).isEqualTo(Instant.parse("2026-11-21T20:10:00.4Z").toEpochMilli());
        for (String odd : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T20:60:00Z",
                "2026-12-31T23:59:60Z", "2026-11-21 20:10:00Z", "2026-11-21T20:10:00", "2026-11-2xT20:10:00Z", "", "yesterday")) {
            Long expected;
            try {
                expected = Instant.parse(odd).toEpochMilli();
            } catch (DateTimeParseException e) {
                expected = null;
            }
            if (expected == null) {
                assertThatThrownBy(() -> IsoTimes.parse(odd)).as(odd).isInstanceOf(DateTimeParseException.class);
            } else {
                assertThat(IsoTimes.parse(odd)).as(odd).isEqualTo(expected);
            }
        }
    }

    private static void assertRoundTrip(long millis) {
        String expected = Instant.ofEpochMilli(millis).toString();
        assertThat(IsoTimes.format(millis)).isEqualTo(expected);
        assertThat(IsoTimes.parse(expected)).as(expected).isEqualTo(millis);
    }
}
