package io.offlinedetector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.testing.FakeFleet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How big a request may be: bodies up to {@link Router#MAX_BODY_BYTES} (413 beyond, decided before
 * the body is read), targets up to {@link Router#MAX_TARGET_CHARS} (414 beyond), and request heads
 * up to the JDK server's own limit, beyond which it drops the connection.
 */
class RequestLimitsTest {

    private static final int LIMIT = RequestLimits.MAX_BODY_BYTES;
    /** Short: a server that waited for an unsent body would run into it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The JDK server's limit on the request line plus headers (sun.net.httpserver.maxReqHeaderSize). */
    private static final int JDK_HEAD_LIMIT = 380 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiServer server;
    private RawHttp http;

    @BeforeEach
    void startServer() {
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(new FakeFleet());
        http = new RawHttp(server.port(), TIMEOUT);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(longs = {LIMIT + 1, 1L << 20, 10L << 30})
    @DisplayName("a declared body over 16 KiB is refused with 413 before a byte of it is sent")
    void declaredBodyOverTheLimitIs413WithoutReadingIt(long contentLength) throws Exception {
        String head = "POST /devices/x HTTP/1.1\r\nHost: x\r\nContent-Length: " + contentLength + "\r\n\r\n";

        RawHttp.Answer answer = http.send(head.getBytes(StandardCharsets.US_ASCII), false); // the body never comes

        assertError(answer, 413);
        assertEquals("close", answer.header("Connection"));
    }

    @Test
    void bodyOfExactlyTheLimitIsReadAndRoutedAsUsual() throws Exception {
        String body = "x".repeat(LIMIT);

        RawHttp.Answer get = http.send("GET /stats HTTP/1.1\r\nHost: x\r\nContent-Length: " + LIMIT + "\r\nConnection: close\r\n\r\n" + body);
        RawHttp.Answer post = http.send("POST /stats HTTP/1.1\r\nHost: x\r\nContent-Length: " + LIMIT + "\r\nConnection: close\r\n\r\n" + body);

        assertEquals(200, get.status(), get.toString());
        assertError(post, 405);
    }

    @Test
    @DisplayName("a chunked body is read only up to the limit: over it, 413")
    void chunkedBodyOverTheLimitIs413() throws Exception {
        RawHttp.Answer answer = http.send(chunked("POST /stats", 5, 4096), true); // 20 KiB in 4 KiB chunks

        assertError(answer, 413);
    }

    @Test
    void smallChunkedBodyIsRoutedAsUsual() throws Exception {
        assertEquals(200, http.send(chunked("GET /stats", 2, 10), true).status());
        assertError(http.send(chunked("PUT /devices/x", 1, 100), true), 405);
    }

    @Test
    void malformedChunkedBodyIs400() throws Exception {
        RawHttp.Answer answer = http.send("POST /stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");

        assertError(answer, 400);
    }

    @ParameterizedTest
    @ValueSource(ints = {RequestLimits.MAX_TARGET_CHARS + 1, 100_000, 300_000})
    void overLongTargetIs414UpToTheJdksHeadLimit(int length) throws Exception {
        RawHttp.Answer answer = http.send("GET /devices/" + "a".repeat(length) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertError(answer, 414);
    }

    @Test
    @DisplayName("headers far larger than anyone sends, but within the JDK's limit, are served")
    void largeHeadersWithinTheJdkLimitAreServed() throws Exception {
        String headers = ("X-Padding: " + "p".repeat(1000) + "\r\n").repeat(100); // 100 KiB in 100 headers

        RawHttp.Answer answer = http.send("GET /stats HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n");

        assertEquals(200, answer.status(), answer.toString());
    }

    /**
     * Documents the JDK server (17.0.15): a request line plus headers over 380 KiB, or more than 200
     * headers, makes it close the connection without an answer. Builds without those limits answer
     * instead (414, or 200); either way nothing answers 5xx and the server goes on serving.
     */
    @ParameterizedTest
    @ValueSource(strings = {"target", "one header", "many headers"})
    void requestHeadBeyondTheJdkLimitIsDroppedOrRefused(String what) throws Exception {
        String request = switch (what) {
            case "target" -> "GET /devices/" + "a".repeat(JDK_HEAD_LIMIT) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            case "one header" -> "GET /stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(JDK_HEAD_LIMIT) + "\r\nConnection: close\r\n\r\n";
            default -> "GET /stats HTTP/1.1\r\nHost: x\r\n" + manyHeaders(250) + "Connection: close\r\n\r\n";
        };

        RawHttp.Answer answer = http.send(request);

        assertTrue(answer.status() < 500, what + ": " + answer); // -1: dropped without an answer
        assertEquals(200, http.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(), "still serving");
    }

    private static String manyHeaders(int count) {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < count; i++) {
            headers.append("X-Header-").append(i).append(": h\r\n");
        }
        return headers.toString();
    }

    /** A chunked request of {@code chunks} chunks of {@code size} bytes each. */
    private static byte[] chunked(String requestLine, int chunks, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((requestLine + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < chunks; i++) {
            out.writeBytes((Integer.toHexString(size) + "\r\n" + "c".repeat(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static void assertError(RawHttp.Answer answer, int status) throws Exception {
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(answer.isJson(), answer.toString());
        assertTrue(JSON.readTree(answer.body()).path("error").isTextual(), answer.toString());
    }
}
