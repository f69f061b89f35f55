package io.offlinedetector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.offlinedetector.config.StartupException;
import io.offlinedetector.testing.FakeFleet;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API listens on the configured address only ({@code http.bind}). Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so 127.0.0.2 shows whether a socket bound to 127.0.0.1
 * really stays there; where 127.0.0.2 is not configured (macOS) these tests are skipped.
 */
class BindAddressTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private ApiServer server;

    @BeforeAll
    static void secondLoopbackAddressExists() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            assumeTrue(probe.isBound());
        } catch (IOException e) {
            assumeTrue(false, "127.0.0.2 is not a local address here: " + e.getMessage());
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @DisplayName("bound to 127.0.0.1, the API answers there and refuses connections on 127.0.0.2")
    void boundTo127001RefusesConnectionsOnAnotherLoopbackAddress() throws Exception {
        server = start("127.0.0.1");

        assertEquals(200, new RawHttp(server.port(), TIMEOUT).send(HEALTH).status());
        assertRefused("127.0.0.2", server.port());
    }

    @Test
    void boundTo127002AnswersOnlyThere() throws Exception {
        server = start("127.0.0.2");

        assertTrue(connects("127.0.0.2", server.port()));
        assertRefused("127.0.0.1", server.port());
        assertEquals("http://127.0.0.2:" + server.port(), server.address());
    }

    @Test
    void bindingAnAddressThisHostDoesNotHaveIsAOneLineStartupException() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real host, so the bind fails locally.
        StartupException e = assertThrows(StartupException.class, () -> ApiServer.bind("192.0.2.1", 0));

        assertTrue(e.getMessage().contains("192.0.2.1"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static ApiServer start(String host) {
        ApiServer server = ApiServer.bind(host, 0);
        server.start(new FakeFleet());
        return server;
    }

    private static void assertRefused(String host, int port) {
        assertThrows(ConnectException.class, () -> connects(host, port), "connection to " + host + ":" + port);
    }

    private static boolean connects(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            return true;
        }
    }
}
