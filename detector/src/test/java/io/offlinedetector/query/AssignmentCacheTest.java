package io.offlinedetector.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** What is read of the assignment is kept while Kafka Streams runs on, and read again after any change. */
class AssignmentCacheTest {

    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private final AtomicLong now = new AtomicLong();
    private final AssignmentCache cache = new AssignmentCache(state::get, now::get);
    private final AtomicInteger reads = new AtomicInteger();
    private final Supplier<Integer> kept = cache.kept(reads::incrementAndGet);

    @Test
    void keepsWhatWasReadWhileRunningUntilKafkaStreamsChangesState() {
        assertThat(kept.get()).isEqualTo(1);
        assertThat(kept.get()).isEqualTo(1);

        cache.stateChanged();

        assertThat(kept.get()).isEqualTo(2);
        assertThat(kept.get()).isEqualTo(2);
    }

    @Test
    void readsEveryTimeWhileNotRunning() {
        state.set(State.REBALANCING);

        assertThat(kept.get()).isEqualTo(1);
        assertThat(kept.get()).isEqualTo(2);
    }

    @Test
    void readsAgainAfterAtMostASecondForChangesElsewhereInTheGroup() {
        assertThat(kept.get()).isEqualTo(1);
        now.addAndGet(AssignmentCache.MAX_AGE.toNanos() - 1);
        assertThat(kept.get()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(kept.get()).isEqualTo(2);
    }

    @Test
    void doesNotKeepWhatWasReadWhileTheStateChanged() {
        Supplier<Integer> changing = cache.kept(() -> {
            cache.stateChanged(); // a rebalance begins while the assignment is read
            return reads.incrementAndGet();
        });

        assertThat(changing.get()).isEqualTo(1);
        assertThat(changing.get()).isEqualTo(2);
    }
}
