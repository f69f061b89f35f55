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

    private KeyValueStore<Bytes, byte[]> store;
    private TimerIndex timers;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("index"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        timers = new TimerIndex(store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void dueFilingsComeEarliestFirstUpToNow() {
        timers.file("c", 300);
        timers.file("a", 100);
        timers.file("b", 200);

        assertThat(timers.due(200, 10)).containsExactly(new Filing("a", 100), new Filing("b", 200));
    }

    @Test
    void aDeviceFiledBeforeAnEarlierCheckIsStillFound() {
        timers.file("on-time", 500);
        assertThat(timers.due(400, 10)).isEmpty();

        timers.file("late", 50); // e.g. a backlog's first heartbeat, long overdue

        assertThat(timers.due(400, 10)).containsExactly(new Filing("late", 50));
    }

    @Test
    void batchesTakeTheNextFilingsAndThoseFiledEarlierMeanwhile() {
        timers.file("a", 100);
        timers.file("b", 200);
        timers.file("c", 300);

        List<Filing> first = timers.due(1_000, 2);
        assertThat(first).containsExactly(new Filing("a", 100), new Filing("b", 200));
        first.forEach(filing -> timers.unfile(filing.deviceId(), filing.deadline()));
        timers.file("b2", 150); // filed while the batch was handled, before the batch's last deadline

        assertThat(timers.due(1_000, 2)).containsExactly(new Filing("b2", 150), new Filing("c", 300));
    }

    @Test
    void aDeviceSharingTheBatchsLastDeadlineIsInTheNextBatch() {
        timers.file("a", 100);
        timers.file("b", 100);

        List<Filing> first = timers.due(1_000, 1);
        first.forEach(filing -> timers.unfile(filing.deviceId(), filing.deadline()));

        assertThat(timers.due(1_000, 1)).containsExactly(new Filing("b", 100));
    }

    @Test
    void theFloorIsKeptInTheStoreForTheNextOwnerOfTheTask() {
        timers.file("a", 100);
        timers.due(1_000, 10).forEach(filing -> timers.unfile(filing.deviceId(), filing.deadline()));

        TimerIndex reopened = new TimerIndex(store);
        reopened.file("late", 50);
        reopened.file("next", 2_000);

        assertThat(reopened.due(1_500, 10)).containsExactly(new Filing("late", 50));
        assertThat(IndexKeys.decodeLong(store.get(IndexKeys.timerFloor()))).isEqualTo(1_501);
    }
}
