package io.offlinedetector.local;

import io.offlinedetector.domain.StatusChange;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One {@code device-status} event as one console line: time, device, transition, reason, sequence. */
final class StatusLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatusLine() {}

    /** {@code 20:10:00.000Z  device-17     ONLINE  -> OFFLINE  TIMEOUT            seq 2}; the time is {@code changedAt}. */
    static String format(StatusChange change) {
        return String.format(Locale.ROOT, "%s  %-12s  %-7s -> %-7s  %-17s  seq %d",
                TIME.format(Instant.ofEpochMilli(change.changedAt())),
                change.deviceId(),
                change.previousStatus(),
                change.status(),
                change.reason(),
                change.sequence());
    }
}
