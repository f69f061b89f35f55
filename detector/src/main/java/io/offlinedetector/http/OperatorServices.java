package io.offlinedetector.http;

import java.util.function.Supplier;

/**
 * What the operator-facing routes ({@code /events}, {@code /metrics}, the admin ones) are served
 * from, besides the fleet's state, and the timer every route reports to.
 *
 * @param events  the dashboard's live feed, or {@code null} when there is none ({@code /events} answers 503)
 * @param metrics the metrics in Prometheus' text format, or {@code null} when there are none
 * @param timer   told how long each answer took
 * @param admin   the admin token's guard and the one admin action, device removal
 * @param partialAnswers told of each fan-out answer to a client that misses instances or partitions
 */
public record OperatorServices(LiveEvents events, Supplier<Scrape> metrics, RequestTimer timer, AdminAccess admin,
        PartialAnswers partialAnswers) {

    /** Without counting partial answers. */
    public OperatorServices(LiveEvents events, Supplier<Scrape> metrics, RequestTimer timer, AdminAccess admin) {
        this(events, metrics, timer, admin, PartialAnswers.NONE);
    }

    /** The metrics as one scrape returns them. */
    public record Scrape(String contentType, byte[] bytes) {}

    public static OperatorServices none() {
        return new OperatorServices(null, null, RequestTimer.NONE, AdminAccess.DISABLED);
    }
}
