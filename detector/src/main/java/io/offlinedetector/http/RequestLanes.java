package io.offlinedetector.http;

import io.javalin.http.Handler;
import io.offlinedetector.query.PeerProtocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Keeps the questions instances ask each other off the threads that wait for instances. A client's
 * request may be forwarded to a peer and hold its thread until the peer answers. Were the peers'
 * local-only questions queued behind such requests, two instances forwarding to each other under
 * load would each wait for the other's busy threads until the peer calls time out (the bench saw
 * it: 50 clients on 2 instances, no answer within 5 s). Local-only questions never forward, so they
 * are answered on Jetty's threads; every other request runs in the client lane, as an asynchronous
 * request that holds no Jetty thread while it waits.
 */
final class RequestLanes {

    private final Executor clientLane;

    RequestLanes(Executor clientLane) {
        this.clientLane = clientLane;
    }

    Handler lane(Handler handler) {
        return ctx -> {
            if (isLocalOnly(ctx.queryString())) {
                handler.handle(ctx);
                return;
            }
            ctx.future(() -> CompletableFuture.runAsync(() -> {
                try {
                    handler.handle(ctx);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, clientLane));
        };
    }

    /** Whether the raw query carries the peers' local-only marker; a malformed query is the routes' to refuse. */
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
