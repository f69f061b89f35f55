package io.offlinedetector.feed;

import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One {@code device-status} event as one console line: time, device, transition, reason, sequence.
 * With colour, ONLINE is green and OFFLINE red, so that a screen of events reads at a glance.
 */
public final class StatusLine {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "2";
    private static final String BOLD = "1";
    private static final String GREEN = "32";
    private static final String RED = "31";

    private StatusLine() {}

    /** {@code 2026-11-21 20:10:00.000Z  device-17     ONLINE  -> OFFLINE  TIMEOUT            seq 2}; the time is {@code changedAt}. */
    public static String format(StatusChange change) {
        return format(change, false);
    }

    /** The same line, with ANSI colours when {@code color} is set. */
    public static String format(StatusChange change, boolean color) {
        // Pad first, paint after: escape codes take no room on screen but count in a format width.
        return String.join("  ",
                paint(TIME.format(Instant.ofEpochMilli(change.changedAt())), DIM, color),
                paint(String.format(Locale.ROOT, "%-12s", change.deviceId()), BOLD, color),
                paint(String.format(Locale.ROOT, "%-7s", change.previousStatus()), colorOf(change.previousStatus()), color)
                        + " -> " + paint(String.format(Locale.ROOT, "%-7s", change.status()), BOLD + ";" + colorOf(change.status()), color),
                String.format(Locale.ROOT, "%-17s", change.reason()),
                paint("seq " + change.sequence(), DIM, color));
    }

    /** {@code 2026-11-21 20:10:00.000Z  device-17     removed}; the time is when it was removed. */
    public static String formatRemoval(String deviceId, long removedAt, boolean color) {
        return String.join("  ",
                paint(TIME.format(Instant.ofEpochMilli(removedAt)), DIM, color),
                paint(String.format(Locale.ROOT, "%-12s", deviceId), BOLD, color),
                "removed");
    }

    private static String colorOf(Status status) {
        return switch (status) {
            case ONLINE -> GREEN;
            case OFFLINE -> RED;
            default -> DIM;
        };
    }

    private static String paint(String text, String code, boolean color) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
