package io.offlinedetector.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alertmanager's {@code POST /api/v2/alerts} for the bench, on loopback: takes every post at once
 * and counts the alerts and the devices they name, so that what is measured is the detector's
 * sender, not an Alertmanager's storage.
 */
final class AlertReceiver implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer server;
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final Set<String> devices = ConcurrentHashMap.newKeySet();

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                count(body);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Counts the alerts of a post by their {@code device} label, read as a stream: a post holds hundreds. */
    private void count(InputStream body) throws IOException {
        try (JsonParser json = JSON.createParser(body)) {
            JsonToken token;
            while ((token = json.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && json.currentName().equals("device")) {
                    json.nextToken();
                    devices.add(json.getText());
                    alerts.incrementAndGet();
                }
            }
        }
        posts.incrementAndGet();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long alerts() {
        return alerts.get();
    }

    long posts() {
        return posts.get();
    }

    long devices() {
        return devices.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
