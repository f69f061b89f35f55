package io.offlinedetector.http;

import java.util.Map;

/**
 * A request as a route handler sees it: decoded path parameters, query parameters, and headers
 * (names case-insensitive, first value).
 */
public record Request(String method, String path, Map<String, String> pathParams, Map<String, String> query,
        Map<String, String> headers) {

    /** @return the header's first value, or {@code null} when absent */
    public String header(String name) {
        return headers.get(name);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** @return the query parameter, or {@code null} when absent */
    public String queryParam(String name) {
        return query.get(name);
    }
}
