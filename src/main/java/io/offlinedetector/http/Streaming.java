package io.offlinedetector.http;

import java.io.OutputStream;

/**
 * A response body written over time, such as Server-Sent Events. The router sends the status and
 * headers, hands the body over and returns at once, so that no request thread waits on a
 * long-lived response. The new owner writes and flushes from its own thread, and closes the body
 * when done, which ends the exchange.
 */
@FunctionalInterface
public interface Streaming {

    void takeOver(OutputStream body);
}
