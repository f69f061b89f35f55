package io.offlinedetector.http;

import java.util.function.Supplier;

/**
 * What the operator-facing routes serve besides the fleet's state.
 *
 * @param events  the dashboard's live feed, or {@code null} when there is none ({@code /events} answers 503)
 * @param metrics the metrics in Prometheus' text format, or {@code null} when there are none
 * @param timer   told how long each answer took
 * @param admin   the admin endpoints and their guard
 */
public record Operations(LiveEvents events, Supplier<Scrape> metrics, RequestTimer timer, AdminEndpoints admin) {

    /** The metrics as one scrape returns them. */
    public record Scrape(String contentType, byte[] bytes) {}

    public static Operations none() {
        return new Operations(null, null, RequestTimer.NONE, AdminEndpoints.DISABLED);
    }
}
