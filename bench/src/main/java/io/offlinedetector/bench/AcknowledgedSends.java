package io.offlinedetector.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;

/**
 * The acknowledgements of a bulk writer's sends: how many records the broker took, and the first
 * failure, which the writer checks now and then while it sends and once more at the end.
 */
final class AcknowledgedSends {

    private final String writer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback callback = (metadata, e) -> {
        if (e != null) {
            failure.compareAndSet(null, e);
        } else {
            acknowledged.incrementAndGet();
        }
    };

    /** @param writer what writes, for the errors: {@code preload}, {@code fleet load} */
    AcknowledgedSends(String writer) {
        this.writer = writer;
    }

    Callback callback() {
        return callback;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Stops the writer at the first failed send. */
    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException(writer + " failed: " + e.getMessage(), e);
        }
    }

    /** After the producer is flushed: every one of {@code expected} records is acknowledged. */
    void requireAll(long expected) {
        Exception e = failure.get();
        if (e != null || acknowledged.get() != expected) {
            throw new IllegalStateException(writer + " wrote " + acknowledged.get() + " of " + expected
                    + (e == null ? "" : ": " + e.getMessage()));
        }
    }
}
