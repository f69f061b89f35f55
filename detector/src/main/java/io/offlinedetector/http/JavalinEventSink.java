package io.offlinedetector.http;

import io.javalin.http.sse.SseClient;

/** A live-feed client's events on Javalin's Server-Sent Events connection, which frames and flushes each. */
record JavalinEventSink(SseClient client) implements EventSink {

    @Override
    public void event(String name, String data) {
        client.sendEvent(name, data);
    }

    @Override
    public void comment(String text) {
        client.sendComment(text);
    }

    @Override
    public boolean closed() {
        return client.terminated();
    }

    @Override
    public void close() {
        client.close();
    }
}
