package io.offlinedetector.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Alertmanager's {@code POST /api/v2/alerts} on loopback, answering with a status the test sets; keeps what it took. */
final class FakeAlertmanager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<List<JsonNode>> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedPosts = new AtomicInteger();
    private volatile int status = 200;

    FakeAlertmanager() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            int answer = status;
            try (InputStream body = exchange.getRequestBody()) {
                JsonNode alerts = JSON.readTree(body);
                if (answer == 200) {
                    List<JsonNode> post = new ArrayList<>();
                    alerts.forEach(post::add);
                    posts.add(post);
                } else {
                    refusedPosts.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(int status) {
        this.status = status;
    }

    List<List<JsonNode>> posts() {
        return new ArrayList<>(posts);
    }

    /** Every alert taken, in order. */
    List<JsonNode> alerts() {
        return posts.stream().flatMap(List::stream).toList();
    }

    /** The devices of the alerts taken, in order: firing ones when {@code firing}, else resolved ones, as of {@code now}. */
    List<String> devices(boolean firing, long now) {
        return alerts().stream()
                .filter(alert -> firing == java.time.Instant.parse(alert.path("endsAt").asText()).toEpochMilli() > now)
                .map(alert -> alert.path("labels").path("device").asText())
                .toList();
    }

    int refusedPosts() {
        return refusedPosts.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
