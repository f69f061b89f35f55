package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/devices/", exchange -> {
            byte[] body = ("{\"deviceId\":\"" + exchange.getRequestURI().getPath().substring(9) + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Served-By", "http://owner");
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // Length 0: the JDK server sends the body in chunks, as Jetty does with a body beyond its buffer.
        server.createContext("/devices", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            for (int i = 0; i < 3; i++) {
                exchange.getResponseBody().write(("{\"page\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsStatusServedByAndBodyOverOneKeptAliveConnection() {
        try (HttpConnection connection = new HttpConnection(url, Duration.ofSeconds(2))) {
            HttpConnection.Answer first = connection.get("/devices/d-1");
            HttpConnection.Answer second = connection.get("/devices/missing");

            assertThat(first.ok()).isTrue();
            assertThat(first.servedBy()).isEqualTo("http://owner");
            assertThat(first.body()).isEqualTo("{\"deviceId\":\"d-1\"}");
            assertThat(second.status()).isEqualTo(404);
            assertThat(second.ok()).isFalse();
        }
    }

    @Test
    void readsAChunkedBodyAndKeepsTheConnection() {
        try (HttpConnection connection = new HttpConnection(url, Duration.ofSeconds(2))) {
            HttpConnection.Answer chunked = connection.get("/devices?limit=100");
            HttpConnection.Answer after = connection.get("/devices/d-2");

            assertThat(chunked.ok()).isTrue();
            assertThat(chunked.body()).isEqualTo("{\"page\":0}{\"page\":1}{\"page\":2}");
            assertThat(after.body()).isEqualTo("{\"deviceId\":\"d-2\"}");
        }
    }

    @Test
    void aServerThatIsGoneIsStatusMinusOneNeverAnException() {
        try (HttpConnection connection = new HttpConnection(url, Duration.ofSeconds(2))) {
            assertThat(connection.get("/devices/d-1").ok()).isTrue();
            server.stop(0);
            assertThat(connection.get("/devices/d-2").status()).isEqualTo(-1);
            assertThat(connection.get("/devices/d-3").status()).isEqualTo(-1);
        }
    }
}
