package io.offlinedetector.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void showsTimeDeviceTransitionReasonAndSequenceOnOneLine() {
        long changedAt = Instant.parse("2026-11-21T20:10:00Z").toEpochMilli();
        StatusChange change = new StatusChange("device-17", Status.OFFLINE, Status.ONLINE, changedAt, changedAt + 412,
                changedAt - 10_000, 10_000, "camera", Reason.TIMEOUT, 2);

        assertEquals("20:10:00.000Z  device-17     ONLINE  -> OFFLINE  TIMEOUT            seq 2", StatusLine.format(change));
    }
}
