package io.offlinedetector.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Transition;
import io.offlinedetector.domain.Uptime;
import io.offlinedetector.topology.TransitionHistory;
import java.time.Instant;
import java.util.List;

/**
 * A device's latest transitions and uptime as the HTTP API shows them (docs/http-api.md,
 * 'GET /devices/{id}/history'). Times are ISO-8601 UTC strings.
 *
 * @param transitions newest first
 * @param complete    whether the kept transitions reach back over the 7-day window (see {@link Uptime#complete})
 */
// Instances read each other's answers: one of a later version may add fields during a rolling upgrade.
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryView(String deviceId, List<TransitionView> transitions, UptimeView uptime, boolean complete) {

    /** The most transitions one answer holds: all a device keeps. */
    public static final int MAX_LIMIT = TransitionHistory.KEPT;
    public static final int DEFAULT_LIMIT = 50;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransitionView(String status, String previousStatus, String changedAt, String reason, long sequence) {

        static TransitionView of(Transition transition) {
            return new TransitionView(transition.status().name(), transition.previousStatus().name(),
                    Instant.ofEpochMilli(transition.changedAt()).toString(), transition.reason().name(), transition.sequence());
        }
    }

    /** The share of the last 24 hours and of the last 7 days the device was ONLINE, from 0.0 to 1.0. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UptimeView(@JsonProperty("24h") double day, @JsonProperty("7d") double week) {}

    /**
     * @param kept    every transition the device keeps, newest first
     * @param current the device's state
     * @param now     the end of the uptime windows: this instance's wall clock
     * @param limit   how many of the transitions to show
     */
    public static HistoryView of(String deviceId, List<Transition> kept, DeviceState current, long now, int limit) {
        return new HistoryView(
                deviceId,
                kept.stream().limit(limit).map(TransitionView::of).toList(),
                new UptimeView(Uptime.share(kept, current, now, Uptime.DAY_MS), Uptime.share(kept, current, now, Uptime.WEEK_MS)),
                Uptime.complete(kept, current, now));
    }
}
