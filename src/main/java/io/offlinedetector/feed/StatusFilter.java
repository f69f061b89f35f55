package io.offlinedetector.feed;

import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.util.regex.Pattern;

/**
 * Which status events someone wants to see: those with one status, or all; and those of one
 * device, or of the devices whose ids match a pattern in which {@code *} stands for any text
 * ({@code sensor-*}, {@code *-kitchen-*}). Without {@code *} the id must match exactly.
 */
public final class StatusFilter {

    public static final StatusFilter ALL = new StatusFilter(null, null);

    private final Status status;
    private final String device;
    private final Pattern devicePattern;

    /**
     * @param status only events that change to this status; {@code null} for all
     * @param device a device id or a pattern with {@code *}; {@code null} or empty for all
     */
    public StatusFilter(Status status, String device) {
        this.status = status;
        this.device = device == null || device.isEmpty() ? null : device;
        this.devicePattern = this.device != null && this.device.indexOf('*') >= 0 ? glob(this.device) : null;
    }

    public boolean matches(StatusChange change) {
        if (status != null && change.status() != status) {
            return false;
        }
        if (device == null) {
            return true;
        }
        return devicePattern != null ? devicePattern.matcher(change.deviceId()).matches() : device.equals(change.deviceId());
    }

    /** Quotes everything but the stars, so that ids with regex characters ({@code a.b}, {@code x+1}) match literally. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = pattern.indexOf('*'); star >= 0; star = pattern.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(pattern.substring(start, star)));
            }
            regex.append(".*");
            start = star + 1;
        }
        if (start < pattern.length()) {
            regex.append(Pattern.quote(pattern.substring(start)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return (status == null ? "any status" : status.name()) + ", " + (device == null ? "any device" : "device " + device);
    }
}
