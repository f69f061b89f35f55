package io.offlinedetector.http;

import java.util.Map;

/**
 * A successful answer: status, a body and extra headers. The body is turned into JSON by Jackson,
 * unless it is {@link Content} (sent as it is: a page, a script, Prometheus text) or
 * {@link Streamed} (written over time after the headers: Server-Sent Events).
 */
public record Response(int status, Object body, Map<String, String> headers) {

    /** A body sent as it is, with its own content type. */
    public record Content(String contentType, byte[] bytes) {}

    /** A body that {@link Streaming} writes after the headers, for as long as it lasts. */
    public record Streamed(String contentType, Streaming streaming) {}

    public static Response ok(Object body) {
        return new Response(200, body, Map.of());
    }

    public static Response content(String contentType, byte[] bytes) {
        return new Response(200, new Content(contentType, bytes), Map.of());
    }

    public static Response stream(String contentType, Streaming streaming) {
        return new Response(200, new Streamed(contentType, streaming), Map.of());
    }

    public Response withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Response(status, body, all);
    }
}
