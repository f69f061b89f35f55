package io.offlinedetector.http;

import java.util.ArrayList;
import java.util.List;

/** Told how long each answer took, by route template (so that ids do not multiply the series). */
@FunctionalInterface
public interface RequestTimer {

    RequestTimer NONE = (method, route, status, nanos) -> {};

    void record(String method, String route, int status, long nanos);

    /** The same routes, each handler timed; a handler's {@link ApiException} counts with its status. */
    static List<Route> timed(List<Route> routes, RequestTimer timer) {
        List<Route> timed = new ArrayList<>(routes.size());
        for (Route route : routes) {
            Route.Handler handler = route.handler();
            timed.add(new Route(route.method(), route.template(), request -> {
                long started = System.nanoTime();
                int status = 500;
                try {
                    Response response = handler.handle(request);
                    status = response.status();
                    return response;
                } catch (ApiException e) {
                    status = e.status();
                    throw e;
                } finally {
                    timer.record(route.method(), route.template(), status, System.nanoTime() - started);
                }
            }));
        }
        return timed;
    }
}
