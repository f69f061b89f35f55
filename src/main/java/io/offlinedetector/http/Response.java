package io.offlinedetector.http;

import java.util.Map;

/** A successful answer: status, a body that Jackson turns into JSON, and extra headers. */
public record Response(int status, Object body, Map<String, String> headers) {

    public static Response ok(Object body) {
        return new Response(200, body, Map.of());
    }

    public Response withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Response(status, body, all);
    }
}
