package io.offlinedetector.query;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Keeps what is read of Kafka Streams' assignment (who owns which partition, which tasks and stores
 * are here) for as long as it holds, so that a device lookup does not read it again: Kafka Streams
 * builds it anew at every call, which was most of what a lookup allocated.
 *
 * <p>A value is kept only when it was read while Kafka Streams was RUNNING, and until Kafka Streams
 * changes state ({@link #stateChanged}): it does whenever its own tasks change (a rebalance, a failed
 * thread, a shutdown). A change elsewhere in the group can leave this instance's state alone, so a
 * value is also read again after {@link #MAX_AGE}. Outside RUNNING, every read goes to Kafka Streams.
 * A lookup that a value kept a moment too long sends astray is answered 503 (the store is closed, or
 * the peer does not process the partition), or from the copy a task that just moved left behind, as
 * it was a moment before.
 */
public final class AssignmentCache {

    /** How long a value is kept at most, for changes of the group that this instance's state does not show. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final Supplier<KafkaStreams.State> state;
    private final LongSupplier nanoTime;
    private final AtomicLong changes = new AtomicLong();

    public AssignmentCache(KafkaStreams streams) {
        this(streams::state, System::nanoTime);
    }

    AssignmentCache(Supplier<KafkaStreams.State> state, LongSupplier nanoTime) {
        this.state = state;
        this.nanoTime = nanoTime;
    }

    /** Kafka Streams changed state: what was read of the assignment may no longer hold. */
    public void stateChanged() {
        changes.incrementAndGet();
    }

    /** {@code read}, read again only when the assignment may have changed. */
    <T> Supplier<T> kept(Supplier<T> read) {
        return new Supplier<>() {
            private volatile Kept<T> kept;

            @Override
            public T get() {
                long change = changes.get();
                long now = nanoTime.getAsLong();
                Kept<T> last = kept;
                if (last != null && last.change == change && now - last.readAt < MAX_AGE.toNanos()) {
                    return last.value;
                }
                T value = read.get();
                // Kept only if nothing changed while it was read, and Kafka Streams ran throughout.
                if (state.get() == KafkaStreams.State.RUNNING && changes.get() == change) {
                    kept = new Kept<>(value, change, now);
                }
                return value;
            }
        };
    }

    private record Kept<T>(T value, long change, long readAt) {}
}
