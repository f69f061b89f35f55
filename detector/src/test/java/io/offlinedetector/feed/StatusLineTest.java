package io.offlinedetector.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static final long CHANGED_AT = Instant.parse("2026-11-21T20:10:00Z").toEpochMilli();
    private static final StatusChange OFFLINE = new StatusChange("device-17", Status.OFFLINE, Status.ONLINE, CHANGED_AT,
            CHANGED_AT + 412, CHANGED_AT - 10_000, 10_000, "camera", null, Reason.TIMEOUT, 2, false);
    private static final String PLAIN = "2026-11-21 20:10:00.000Z  device-17     ONLINE  -> OFFLINE  TIMEOUT            seq 2";

    @Test
    void showsTimeDeviceTransitionReasonAndSequenceOnOneLine() {
        assertThat(StatusLine.format(OFFLINE)).isEqualTo(PLAIN);
    }

    @Test
    void paintsOfflineRedAndOnlineGreen() {
        String line = StatusLine.format(OFFLINE, true);

        assertThat(line).contains("\u001b[1;31mOFFLINE").contains("\u001b[32mONLINE ");
        assertThat(line).endsWith("\u001b[0m");
    }

    @Test
    @DisplayName("with colours the columns line up as without: escape codes take no room")
    void colouredLineReadsTheSameOnceTheColoursAreGone() {
        assertThat(StatusLine.format(OFFLINE, true).replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(PLAIN);
    }

    @Test
    void aRemovalShowsTimeDeviceAndRemovedInTheSameColumns() {
        assertThat(StatusLine.formatRemoval("device-17", CHANGED_AT, false)).isEqualTo("2026-11-21 20:10:00.000Z  device-17     removed");
        assertThat(StatusLine.formatRemoval("device-17", CHANGED_AT, true).replaceAll("\u001b\\[[0-9;]*m", ""))
                .isEqualTo("2026-11-21 20:10:00.000Z  device-17     removed");
    }

    @Test
    void withoutColourThereAreNoEscapeCodes() {
        assertThat(StatusLine.format(OFFLINE, false)).doesNotContain("\u001b");
    }
}
