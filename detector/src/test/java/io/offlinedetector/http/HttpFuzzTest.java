package io.offlinedetector.http;

import static io.offlinedetector.testing.FakeFleet.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.Status;
import io.offlinedetector.testing.FakeFleet;
import io.offlinedetector.testing.FuzzSeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and oversized methods, paths and query strings against the real {@link ApiServer}: each
 * gets an answer below 500, and every error is the API's JSON, also where Jetty refuses a request
 * line it cannot parse (docs/http-api.md, "Request limits") — never a stack trace.
 *
 * <p>The seed is fixed unless {@code -Dfuzz.seed=random} asks for a new one ({@link FuzzSeed}); a
 * failure names it. Re-run one with {@code -Dfuzz.seed=<seed>}.
 */
class HttpFuzzTest {

    private static final int RAW_REQUESTS = 1_000;
    /** Fewer: each is a whole request through the JDK's HTTP client. */
    private static final int CLIENT_REQUESTS = 200;
    /** Stops early on a slow machine; whatever ran is still checked. */
    private static final Duration BUDGET = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIXED_SEED = 20261122L;

    private ApiServer server;

    @BeforeEach
    void startServer() {
        FakeFleet fleet = new FakeFleet();
        for (String id : List.of("a", "sensor-42", "é", "温度", "+", "a+b", "a b")) {
            fleet.add(device(id, Status.ONLINE));
        }
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void randomRawRequestsGetAnAnswerBelow500WithoutAStackTrace() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        HostileRequests requests = new HostileRequests(random);
        RawHttp http = new RawHttp(server.port(), TIMEOUT);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int i = 0; i < RAW_REQUESTS && System.nanoTime() < deadline; i++) {
            byte[] request = requests.rawRequest();
            try {
                RawHttp.Answer answer = http.send(request, true);
                assertNotEquals(-1, answer.status(), "the server closed the connection without an answer");
                if (answer.status() == 505) {
                    // The one 5xx for bad input, and the right one: an HTTP version other than 1.0 and 1.1. Jetty
                    // also reads a request line short of method, target and version as HTTP/0.9.
                    String[] line = requestLine(request).trim().split(" +");
                    assertTrue(line.length < 3 || !line[line.length - 1].matches("HTTP/1\\.[01]"), "505 for HTTP/1.x");
                    assertTrue(answer.isJson(), answer.toString());
                } else {
                    assertAcceptable(answer.status(), answer.isJson(), answer.body());
                }
                if (request.length > 4 && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ")) {
                    assertEquals("", answer.body(), "a HEAD answer has no body");
                }
            } catch (Exception | AssertionError e) {
                throw new AssertionError("HTTP fuzz failed at raw request " + i + " with seed " + seed
                        + " (re-run: -Dtest=HttpFuzzTest -Dfuzz.seed=" + seed + ")\nrequest: " + preview(request), e);
            }
        }
        assertEquals(200, http.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(), "still serving");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void randomClientRequestsGetAnAnswerBelow500WithoutAStackTrace() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        HostileRequests requests = new HostileRequests(random);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int i = 0; i < CLIENT_REQUESTS && System.nanoTime() < deadline; i++) {
            String method = requests.method();
            String target = requests.uriTarget();
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.address() + target))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(TIMEOUT)
                        .build();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
                assertAcceptable(response.statusCode(), json, method.equals("HEAD") ? "" : response.body());
            } catch (Exception | AssertionError e) {
                throw new AssertionError("HTTP fuzz failed at client request " + i + " with seed " + seed
                        + " (re-run: -Dtest=HttpFuzzTest -Dfuzz.seed=" + seed + ")\nrequest: "
                        + abbreviate(method) + " " + abbreviate(target), e);
            }
        }
    }

    /**
     * Success or a client error; every error is the API's JSON, never a trace. The one non-JSON
     * answer with a body is the dashboard page at {@code /}; a HEAD answer has no body.
     */
    private static void assertAcceptable(int status, boolean json, String body) throws Exception {
        assertTrue(status >= 200 && status < 500, "status " + status + ": " + body);
        assertFalse(body.contains("\tat ") || body.contains("Caused by"), "a stack trace in the body: " + body);
        if (json) {
            assertFalse(body.contains("Exception"), body);
            if (status >= 400 && !body.isEmpty()) {
                JsonNode error = JSON.readTree(body);
                assertEquals(1, error.size(), body);
                assertTrue(error.path("error").isTextual(), body);
            }
        } else {
            boolean dashboard = status == 200 && body.startsWith("<!doctype html>") && body.contains("<title>Offline Detector</title>");
            assertTrue(dashboard || body.isEmpty(), "only the dashboard is not JSON: " + status + " " + body);
        }
    }

    private static String requestLine(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    private static long seed() {
        return FuzzSeed.get(FIXED_SEED);
    }

    private static String preview(byte[] request) {
        return abbreviate(new String(request, StandardCharsets.UTF_8).replace("\r\n", "\\r\\n"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "… (" + text.length() + " chars)";
    }
}
