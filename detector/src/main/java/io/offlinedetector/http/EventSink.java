package io.offlinedetector.http;

/** Where one client's live feed goes: a Server-Sent Events connection, or a recorder in tests. */
interface EventSink {

    /** One event; {@code data} is compact JSON, so it has no line breaks to split. */
    void event(String name, String data);

    /** A comment line, which browsers ignore: keeps proxies from closing an idle connection. */
    void comment(String text);

    /** The client went away, or the connection was closed. */
    boolean closed();

    void close();
}
