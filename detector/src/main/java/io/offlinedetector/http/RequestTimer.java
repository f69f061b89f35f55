package io.offlinedetector.http;

/** Told how long each answer took, by route template (so that ids do not multiply the series). */
@FunctionalInterface
public interface RequestTimer {

    RequestTimer NONE = (method, route, status, nanos) -> {};

    void record(String method, String route, int status, long nanos);
}
