package io.offlinedetector.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests through the route table and is the one place that maps failures to statuses:
 * an {@link ApiException} gives its status and reason, anything else a 500 without details (the
 * cause goes to the log, never to the client). It also enforces the request limits: a target of at
 * most {@value #MAX_TARGET_CHARS} ASCII characters (414, 400) and a body of at most
 * {@value #MAX_BODY_BYTES} bytes (413, judged before the body is read).
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** Longest request target (path and query) accepted; ids are at most 200 bytes. */
    static final int MAX_TARGET_CHARS = 4096;
    /** Largest request body accepted: no route takes a body today, and an id-sized one is plenty. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final List<Route> routes;
    private final ObjectMapper json;

    Router(List<Route> routes, ObjectMapper json) {
        this.routes = List.copyOf(routes);
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Response response;
        try {
            response = dispatch(exchange);
        } catch (ApiException e) {
            response = new Response(e.status(), Map.of("error", e.getMessage()), e.headers());
        } catch (RuntimeException e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            response = new Response(500, Map.of("error", "internal error"), Map.of());
        }
        send(exchange, response);
    }

    private Response dispatch(HttpExchange exchange) {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_TARGET_CHARS) {
            throw new ApiException(414, "request target longer than " + MAX_TARGET_CHARS + " characters");
        }
        // The JDK reads the request line as ISO-8859-1: raw UTF-8 bytes would turn into other characters.
        if (!isAscii(rawPath) || rawQuery != null && !isAscii(rawQuery)) {
            throw ApiException.badRequest("request target is not ASCII; percent-encode other characters as UTF-8");
        }
        if (RequestBodyLimit.exceeds(exchange, MAX_BODY_BYTES)) {
            // The unread rest of the body makes the connection useless for another request.
            throw new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes", Map.of("Connection", "close"));
        }
        String[] segments = rawPath.length() <= 1 ? new String[] {""} : rawPath.substring(1).split("/", -1);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(exchange.getRequestMethod())) {
                return route.handler().handle(new Request(
                        exchange.getRequestMethod(), rawPath, params, QueryString.parse(rawQuery), headers(exchange)));
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, "method " + exchange.getRequestMethod() + " is not allowed here",
                    Map.of("Allow", String.join(", ", allowed)));
        }
        throw ApiException.notFound("no such endpoint: " + abbreviate(rawPath));
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.get(0));
            }
        });
        return headers;
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.putIfAbsent("Cache-Control", "no-store");
        if (response.body() instanceof Response.Streamed streamed) {
            headers.put("Content-Type", streamed.contentType());
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status(), 0); // 0: chunked, written over time
            streamed.streaming().takeOver(exchange.getResponseBody());
            return;
        }
        byte[] body;
        if (response.body() instanceof Response.Content content) {
            body = content.bytes();
            headers.put("Content-Type", content.contentType());
            headers.put("X-Content-Type-Options", "nosniff");
        } else {
            body = json.writeValueAsBytes(response.body());
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        // A HEAD answer is the headers alone; the JDK refuses body bytes for it.
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
