package io.offlinedetector.feed;

import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;

/**
 * Which status events someone wants to see: those with one status, or all; and those of one
 * device, or of the devices whose ids match a pattern in which {@code *} stands for any text
 * ({@code sensor-*}, {@code *-kitchen-*}). Without {@code *} the id must match exactly.
 */
public final class StatusFilter {

    public static final StatusFilter ALL = new StatusFilter(null, null);

    private final Status status;
    private final String device;
    private final boolean devicePattern;

    /**
     * @param status only events that change to this status; {@code null} for all
     * @param device a device id or a pattern with {@code *}; {@code null} or empty for all
     */
    public StatusFilter(Status status, String device) {
        this.status = status;
        this.device = device == null || device.isEmpty() ? null : device;
        this.devicePattern = this.device != null && this.device.indexOf('*') >= 0;
    }

    public boolean matches(StatusChange change) {
        return (status == null || change.status() == status) && matchesDevice(change.deviceId());
    }

    /** A removal changes to no status: only a filter without a status shows it. */
    public boolean matchesRemoval(String deviceId) {
        return status == null && matchesDevice(deviceId);
    }

    private boolean matchesDevice(String deviceId) {
        if (device == null) {
            return true;
        }
        return devicePattern ? globMatches(device, deviceId) : device.equals(deviceId);
    }

    /**
     * Whether {@code text} matches {@code pattern}, where {@code *} stands for any text and every
     * other character for itself. Not a regular expression: patterns come from anyone who opens
     * the dashboard, and this takes at most pattern length × text length steps, where a regex such
     * as {@code .*a.*a.*a.*b} can backtrack for ages on the thread that feeds every browser.
     */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1; // the last star seen, and where in the text it began to match
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1; // let the last star take one more character, and try again
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return (status == null ? "any status" : status.name()) + ", " + (device == null ? "any device" : "device " + device);
    }
}
