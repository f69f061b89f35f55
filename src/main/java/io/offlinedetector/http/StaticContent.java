package io.offlinedetector.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, read once from the jar ({@code src/main/resources/dashboard}) and served
 * from memory. Only the files listed here are served: a request can never reach anything else.
 */
final class StaticContent {

    private static final String DIRECTORY = "/dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, Response.Content> files = new LinkedHashMap<>();

    StaticContent() {
        FILES.forEach((name, type) -> files.put(name, new Response.Content(type, read(DIRECTORY + name))));
    }

    /** {@code GET /}: the dashboard page. */
    Response page(Request request) {
        return file("index.html");
    }

    /** {@code GET /dashboard/{file}}: its style sheet and script. */
    Response asset(Request request) {
        String name = request.pathParam("file");
        if (name.equals("index.html") || !files.containsKey(name)) {
            throw ApiException.notFound("no such file: " + name);
        }
        return file(name);
    }

    private Response file(String name) {
        Response.Content content = files.get(name);
        // The files change only with the jar; revalidating on each load keeps an upgrade visible at once.
        return new Response(200, content, Map.of("Cache-Control", "no-cache"));
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticContent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
