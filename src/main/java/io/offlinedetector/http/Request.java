package io.offlinedetector.http;

import java.util.Map;

/** A request as a route handler sees it: decoded path parameters and query parameters. */
public record Request(String method, String path, Map<String, String> pathParams, Map<String, String> query) {

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** @return the query parameter, or {@code null} when absent */
    public String queryParam(String name) {
        return query.get(name);
    }
}
