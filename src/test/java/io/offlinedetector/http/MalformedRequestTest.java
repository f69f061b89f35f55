package io.offlinedetector.http;

import static io.offlinedetector.http.FakeFleetQueries.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request lines and heads that clients should not send, and who answers them: the API where the
 * JDK server passes them on, the JDK server itself where it does not (documented in the README).
 */
class MalformedRequestTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private FakeFleetQueries fleet;
    private ApiServer server;
    private RawHttp http;

    @BeforeEach
    void startServer() {
        fleet = new FakeFleetQueries();
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet);
        http = new RawHttp(server.port(), TIMEOUT);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    @DisplayName("raw UTF-8 in the target is 400, not read as ISO-8859-1 into another id")
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
        RawHttp.Answer answer = http.send("HEAD /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(405, answer.status(), answer.toString());
        assertEquals("GET", answer.header("Allow"));
        assertEquals("", answer.body());
        assertEquals(200, http.send("GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
    }

    /** Where the JDK server cannot parse the request line, it answers with its own short HTML. */
    @ParameterizedTest
    @ValueSource(strings = {"GET /devices/%zz HTTP/1.1", "GET /devices/a\\b HTTP/1.1", "GET", "CONNECT 127.0.0.1:80 HTTP/1.1"})
    void unparsableRequestLineIsTheJdks400(String requestLine) throws Exception {
        RawHttp.Answer answer = http.send(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("text/html"), answer.toString());
    }

    /** A target that is no path ({@code *}, {@code //host}) matches no context of the JDK server: its own 404. */
    @ParameterizedTest
    @ValueSource(strings = {"*", "//stats", "stats"})
    void targetWithoutAPathIsTheJdks404(String target) throws Exception {
        RawHttp.Answer answer = http.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(404, answer.status(), answer.toString());
    }

    /** Documents the JDK server: an opaque target such as {@code x:y} makes it drop the connection. */
    @Test
    void opaqueTargetIsDroppedByTheJdkWithoutAnAnswer() throws Exception {
        RawHttp.Answer answer = http.send("GET x:y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(-1, answer.status(), answer.toString());
        assertEquals(200, http.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(), "still serving");
    }

    /**
     * Documents the one 5xx the JDK server gives for bad input: a transfer coding it does not
     * implement is 501 Not Implemented, as RFC 9112 §6.1 asks. It never reaches the API.
     */
    @Test
    void transferCodingOtherThanChunkedIsTheJdks501() throws Exception {
        RawHttp.Answer answer = http.send("POST /stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n");

        assertEquals(501, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("text/html"), answer.toString());
    }
}
