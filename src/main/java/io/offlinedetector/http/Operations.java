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
public record Operations(LiveEvents events, Supplier<Response.Content> metrics, RequestTimer timer, AdminEndpoints admin) {

    public static Operations none() {
        return new Operations(null, null, RequestTimer.NONE, AdminEndpoints.DISABLED);
    }
}
