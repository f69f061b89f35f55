package io.offlinedetector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client reading the whole OFFLINE list page by page ({@code GET /devices?status=OFFLINE&limit=…&after=…}). */
final class OfflinePaging {

    /** @param partialPages pages that said an instance could not answer */
    record Result(long devices, int pages, double seconds, int partialPages) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private OfflinePaging() {}

    static Result run(String url, int limit, Duration timeLimit) {
        Phase phase = new Phase("OFFLINE list", timeLimit);
        long devices = 0;
        int pages = 0;
        int partial = 0;
        String after = null;
        long start = System.nanoTime();
        try (HttpConnection connection = new HttpConnection(url, Fleet.REQUEST_TIMEOUT)) {
            do {
                phase.check();
                String path = "/devices?status=OFFLINE&limit=" + limit
                        + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
                HttpConnection.Answer answer = connection.get(path);
                if (!answer.ok()) {
                    throw new IllegalStateException("GET " + path + ": " + answer.status() + " " + answer.body());
                }
                JsonNode page = JSON.readTree(answer.body());
                devices += page.path("devices").size();
                pages++;
                partial += page.path("partial").asBoolean(false) ? 1 : 0;
                after = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
            } while (after != null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        phase.done("%,d OFFLINE devices in %d pages, %.2fs", devices, pages, seconds);
        return new Result(devices, pages, seconds, partial);
    }
}
