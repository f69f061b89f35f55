package io.offlinedetector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.offlinedetector.query.PeerProtocol;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the questions instances ask each other off the threads that wait for instances. A client's
 * request may be forwarded to a peer and hold its thread until the peer answers. Were the peers'
 * local-only questions queued behind such requests, two instances forwarding to each other under
 * load would each wait for the other's busy threads until the peer calls time out (the bench saw
 * it: 50 clients on 2 instances, no answer within 5 s). Local-only questions never forward, so they
 * are answered on the server's own threads; every other request runs in the client lane.
 */
final class RequestLanes implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLanes.class);

    private final HttpHandler routes;
    private final Executor clientLane;

    RequestLanes(HttpHandler routes, Executor clientLane) {
        this.routes = routes;
        this.clientLane = clientLane;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (isLocalOnly(exchange.getRequestURI().getRawQuery())) {
            routes.handle(exchange);
            return;
        }
        try {
            clientLane.execute(() -> handleInClientLane(exchange));
        } catch (RejectedExecutionException e) {
            exchange.close(); // the server is stopping
        }
    }

    private void handleInClientLane(HttpExchange exchange) {
        try {
            routes.handle(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Request {} ended early: {}", exchange.getRequestURI().getRawPath(), e.toString());
            exchange.close();
        }
    }

    /** Whether the query carries the peers' local-only marker; a malformed query is the routes' to refuse. */
    static boolean isLocalOnly(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.equals(PeerProtocol.LOCAL_ONLY_PARAM + "=true")) {
                return true;
            }
        }
        return false;
    }
}
