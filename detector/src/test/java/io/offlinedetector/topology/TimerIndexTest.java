package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.topology.TimerIndex.Filing;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimerIndexTest {

    /** Where the filings are, as the state store writes them. */
    private KeyValueStore<Bytes, byte[]> states;
    /** Where the floor is. */
    private KeyValueStore<Bytes, byte[]> store;
    private TimerIndex timers;

    @BeforeEach
    void openStores() {
        states = inMemory("states");
        store = inMemory("index");
        timers = new TimerIndex(states, store);
    }

    private static KeyValueStore<Bytes, byte[]> inMemory(String name) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    @AfterEach
    void closeStores() {
        states.close();
        store.close();
    }

    /** As the state store files a device whose state has this timer, and the processor tells the index. */
    private void file(TimerIndex timers, String deviceId, long deadline) {
        states.put(IndexKeys.timer(deadline, deviceId), new byte[] {1});
        timers.filed(deadline);
    }

    /** As the state store unfiles a device handled. */
    private void unfile(Filing filing) {
        states.delete(IndexKeys.timer(filing.deadline(), filing.deviceId()));
    }

    @Test
    void dueFilingsComeEarliestFirstUpToNow() {
        file(timers, "c", 300);
        file(timers, "a", 100);
        file(timers, "b", 200);

        assertThat(timers.due(200, 10)).containsExactly(new Filing("a", 100), new Filing("b", 200));
    }

    @Test
    void aDeviceFiledBeforeAnEarlierCheckIsStillFound() {
        file(timers, "on-time", 500);
        assertThat(timers.due(400, 10)).isEmpty();

        file(timers, "late", 50); // e.g. a backlog's first heartbeat, long overdue

        assertThat(timers.due(400, 10)).containsExactly(new Filing("late", 50));
    }

    @Test
    void batchesTakeTheNextFilingsAndThoseFiledEarlierMeanwhile() {
        file(timers, "a", 100);
        file(timers, "b", 200);
        file(timers, "c", 300);

        List<Filing> first = timers.due(1_000, 2);
        assertThat(first).containsExactly(new Filing("a", 100), new Filing("b", 200));
        first.forEach(this::unfile);
        file(timers, "b2", 150); // filed while the batch was handled, before the batch's last deadline

        assertThat(timers.due(1_000, 2)).containsExactly(new Filing("b2", 150), new Filing("c", 300));
    }

    @Test
    void aDeviceSharingTheBatchsLastDeadlineIsInTheNextBatch() {
        file(timers, "a", 100);
        file(timers, "b", 100);

        List<Filing> first = timers.due(1_000, 1);
        first.forEach(this::unfile);

        assertThat(timers.due(1_000, 1)).containsExactly(new Filing("b", 100));
    }

    @Test
    void theFloorIsKeptInTheStoreForTheNextOwnerOfTheTask() {
        file(timers, "a", 100);
        timers.due(1_000, 10).forEach(this::unfile);

        TimerIndex reopened = new TimerIndex(states, store);
        file(reopened, "late", 50);
        file(reopened, "next", 2_000);

        assertThat(reopened.due(1_500, 10)).containsExactly(new Filing("late", 50));
        assertThat(IndexKeys.decodeLong(store.get(IndexKeys.timerFloor()))).isEqualTo(1_501);
    }
}
