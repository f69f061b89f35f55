package io.offlinedetector.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusFilterTest {

    private static StatusChange change(String device, Status status) {
        return new StatusChange(device, status, Status.ONLINE, 0, 0, 0, 1_000, null, null, Reason.TIMEOUT, 1, false);
    }

    @Test
    void allLetsEverythingThrough() {
        assertThat(StatusFilter.ALL.matches(change("a", Status.ONLINE))).isTrue();
        assertThat(new StatusFilter(null, "").matches(change("a", Status.OFFLINE))).isTrue();
    }

    @Test
    void statusMustBeTheNewStatus() {
        StatusFilter offline = new StatusFilter(Status.OFFLINE, null);

        assertThat(offline.matches(change("a", Status.OFFLINE))).isTrue();
        assertThat(offline.matches(change("a", Status.ONLINE))).isFalse();
    }

    @Test
    void aRemovalPassesOnlyAFilterWithoutStatusAndWithItsDevice() {
        assertThat(StatusFilter.ALL.matchesRemoval("sensor-4")).isTrue();
        assertThat(new StatusFilter(null, "sensor-*").matchesRemoval("sensor-4")).isTrue();
        assertThat(new StatusFilter(null, "sensor-*").matchesRemoval("cam-4")).isFalse();
        assertThat(new StatusFilter(Status.OFFLINE, null).matchesRemoval("sensor-4")).isFalse();
        assertThat(new StatusFilter(Status.ONLINE, "sensor-4").matchesRemoval("sensor-4")).isFalse();
    }

    @Test
    void aDeviceWithoutStarMustMatchExactly() {
        StatusFilter sensor4 = new StatusFilter(null, "sensor-4");

        assertThat(sensor4.matches(change("sensor-4", Status.ONLINE))).isTrue();
        assertThat(sensor4.matches(change("sensor-42", Status.ONLINE))).isFalse();
    }

    @Test
    void starsMatchAnyTextAndEverythingElseIsLiteral() {
        StatusFilter kitchen = new StatusFilter(null, "*.kitchen-*");

        assertThat(kitchen.matches(change("home1.kitchen-fridge", Status.ONLINE))).isTrue();
        assertThat(kitchen.matches(change(".kitchen-", Status.ONLINE))).isTrue();
        assertThat(kitchen.matches(change("home1Xkitchen-fridge", Status.ONLINE))).as("the dot is literal").isFalse();
        assertThat(new StatusFilter(null, "a+b*").matches(change("a+b1", Status.ONLINE))).isTrue();
    }

    @Test
    void globsMatchLikeAShellWithOnlyStars() {
        assertThat(StatusFilter.globMatches("*", "")).isTrue();
        assertThat(StatusFilter.globMatches("a*", "a")).isTrue();
        assertThat(StatusFilter.globMatches("*b", "aab")).isTrue();
        assertThat(StatusFilter.globMatches("a*b*c", "axxbyyc")).isTrue();
        assertThat(StatusFilter.globMatches("a*b*c", "axxbyy")).isFalse();
        assertThat(StatusFilter.globMatches("**x**", "yyxyy")).isTrue();
        assertThat(StatusFilter.globMatches("*ü-*", "gerät-ü-1")).isTrue();
    }

    @Test
    @DisplayName("a pattern that would make a regex backtrack for ages is answered at once")
    void pathologicalPatternsAreCheap() {
        String pattern = "*a".repeat(99) + "*b";
        String id = "a".repeat(200);
        long started = System.nanoTime();

        assertThat(new StatusFilter(null, pattern).matches(change(id, Status.ONLINE))).isFalse();

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(1));
    }

    @Test
    void statusAndDeviceMustBothMatch() {
        StatusFilter filter = new StatusFilter(Status.OFFLINE, "cam-*");

        assertThat(filter.matches(change("cam-1", Status.OFFLINE))).isTrue();
        assertThat(filter.matches(change("cam-1", Status.ONLINE))).isFalse();
        assertThat(filter.matches(change("thermo-1", Status.OFFLINE))).isFalse();
    }
}
