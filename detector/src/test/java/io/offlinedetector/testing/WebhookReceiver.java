package io.offlinedetector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Alertmanager webhook receiver on loopback: keeps every notification it gets, as the pager or
 * chat bridge of an operator would get it.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert of a notification: its status ({@code firing} or {@code resolved}), labels and end. */
    public record Notified(String status, JsonNode labels, Instant endsAt) {

        public String label(String name) {
            return labels.path(name).asText(null);
        }
    }

    private final HttpServer server;
    private final List<Notified> notified = new CopyOnWriteArrayList<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                for (JsonNode alert : JSON.readTree(body).path("alerts")) {
                    notified.add(new Notified(alert.path("status").asText(), alert.path("labels"), Instant.parse(alert.path("endsAt").asText())));
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every alert notified so far, in order. */
    public List<Notified> notified() {
        return new ArrayList<>(notified);
    }

    /** Whether the device's alert was notified with this status. */
    public boolean notified(String deviceId, String status) {
        return notified.stream().anyMatch(n -> deviceId.equals(n.label("device")) && status.equals(n.status()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
