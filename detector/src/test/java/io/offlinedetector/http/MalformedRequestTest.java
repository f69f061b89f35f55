package io.offlinedetector.http;

import static io.offlinedetector.testing.FakeFleet.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.Status;
import io.offlinedetector.testing.FakeFleet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request lines and heads that clients should not send. Jetty refuses what does not parse as HTTP
 * before the API sees it, and answers with the API's JSON error all the same (docs/http-api.md,
 * "Request limits").
 */
class MalformedRequestTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private FakeFleet fleet;
    private ApiServer server;
    private RawHttp http;

    @BeforeEach
    void startServer() {
        fleet = new FakeFleet();
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet);
        http = new RawHttp(server.port(), TIMEOUT);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    @DisplayName("raw UTF-8 in the target is 400, not read as some charset into another id")
    void rawNonAsciiTargetIs400() throws Exception {
        fleet.add(device("é", Status.ONLINE));

        RawHttp.Answer answer = http.send("GET /devices/é HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.isJson(), answer.toString());
        assertTrue(fleet.askedIds.isEmpty(), "mojibake ids never reach the query side: " + fleet.askedIds);
        assertEquals(200, http.send("GET /devices/%C3%A9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(), "percent-encoded it works");
    }

    @Test
    void headGetsTheHeadersOfTheAnswerWithoutABody() throws Exception {
        RawHttp.Answer stats = http.send("HEAD /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        RawHttp.Answer unknown = http.send("HEAD /devices/nobody HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(200, stats.status(), stats.toString());
        assertTrue(stats.header("Content-Type").startsWith("application/json"), stats.toString());
        assertEquals("", stats.body());
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("", unknown.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /devices/%zz HTTP/1.1", "GET /devices/abc% HTTP/1.1", "GET", "GET x:y HTTP/1.1", "GET * HTTP/1.1",
            "GET //stats HTTP/1.1", "GET stats HTTP/1.1"})
    @DisplayName("what does not parse as a request, a target without a path among it, is a JSON 400")
    void unparsableRequestIsAJson400(String requestLine) throws Exception {
        RawHttp.Answer answer = http.send(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.isJson(), answer.toString());
        assertEquals(200, http.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(), "still serving");
    }

    @Test
    void aBackslashIsPartOfTheIdNotASeparator() throws Exception {
        RawHttp.Answer answer = http.send("GET /devices/a\\b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(404, answer.status(), answer.toString());
        assertTrue(answer.body().contains("a\\\\b"), answer.toString());
    }

    @Test
    void transferCodingOtherThanChunkedIsAJson400() throws Exception {
        RawHttp.Answer answer = http.send("POST /stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n");

        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.isJson(), answer.toString());
    }
}
