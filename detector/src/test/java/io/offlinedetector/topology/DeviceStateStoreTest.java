package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store's derived entries: written with each state, derived again from each state a
 * restore brings, and derived afresh when the store opens without them.
 */
class DeviceStateStoreTest {

    private static final String NAME = Names.STATE_STORE;
    private static final long T0 = 1_795_000_000_000L;
    private static final DeviceStateSerde SERDE = new DeviceStateSerde();

    @TempDir
    Path stateDir;

    private final List<StateStore> open = new ArrayList<>();
    private StateRestoreCallback restore;

    @AfterEach
    void closeStores() {
        open.forEach(StateStore::close);
    }

    @Test
    void eachStateIsWrittenWithItsEntries() {
        KeyValueStore<Bytes, byte[]> store = deviceStore();

        store.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", "site-7")));
        store.put(IndexKeys.state("b"), bytes(offline(null, null)));

        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store))
                .containsKeys(IndexKeys.timer(T0 + 100, "a"), IndexKeys.byStatus(Status.OFFLINE, "b"),
                        IndexKeys.keyed(CountKind.GROUP, "site-7", "a"), IndexKeys.keyed(CountKind.DEVICE_TYPE, "pump", "a"));
        assertThat(IndexKeys.decodeLong(store.get(IndexKeys.count(Status.ONLINE)))).isEqualTo(1);
        assertThat(IndexKeys.decodeOffline(store.get(IndexKeys.keyCount(CountKind.GROUP, null)))).isEqualTo(1);
    }

    @Test
    void aChangeMovesItsEntriesAndAGoneDeviceTakesThemAlong() {
        KeyValueStore<Bytes, byte[]> store = deviceStore();
        store.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", "site-7")));

        store.put(IndexKeys.state("a"), bytes(online(T0 + 50, "pump", "site-8"))); // written without a read before it
        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store))
                .doesNotContainKey(IndexKeys.timer(T0 + 100, "a")).doesNotContainKey(IndexKeys.keyed(CountKind.GROUP, "site-7", "a"));

        store.get(IndexKeys.state("a"));
        store.delete(IndexKeys.state("a"));
        assertThat(DerivedEntries.in(store)).isEmpty();
    }

    @Test
    void aRestoreDerivesTheEntriesOfEachStateItBrings() {
        KeyValueStore<Bytes, byte[]> store = deviceStore();
        store.put(IndexKeys.state("a"), bytes(online(T0 + 100, null, null)));

        ((BatchingStateRestoreCallback) restore).restoreAll(List.of(
                KeyValue.pair(IndexKeys.state("b").get(), bytes(online(T0 + 200, "pump", null))),
                KeyValue.pair(IndexKeys.state("a").get(), bytes(offline("pump", "site-7"))),
                KeyValue.pair(IndexKeys.state("b").get(), bytes(online(T0 + 300, "pump", null))), // the same device again in one batch
                KeyValue.pair(IndexKeys.state("c").get(), bytes(online(T0 + 400, null, null))),
                KeyValue.pair(IndexKeys.state("c").get(), null))); // then removed

        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store))
                .containsKeys(IndexKeys.timer(T0 + 300, "b"), IndexKeys.byStatus(Status.OFFLINE, "a"))
                .doesNotContainKeys(IndexKeys.timer(T0 + 100, "a"), IndexKeys.timer(T0 + 200, "b"), IndexKeys.timer(T0 + 400, "c"));
        assertThat(IndexKeys.decodeOnline(store.get(IndexKeys.keyCount(CountKind.DEVICE_TYPE, "pump")))).isEqualTo(1);
        assertThat(IndexKeys.decodeOffline(store.get(IndexKeys.keyCount(CountKind.DEVICE_TYPE, "pump")))).isEqualTo(1);
    }

    @Test
    void aStoreKeptWithoutTheEntriesDerivesThemWhenItOpens() {
        KeyValueStore<Bytes, byte[]> before = plainStore(); // as versions before kept the states: nothing beside them
        before.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", "site-7")));
        before.put(IndexKeys.state("b"), bytes(offline(null, "site-7")));
        close(before);

        KeyValueStore<Bytes, byte[]> store = deviceStore();

        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store)).hasSize(12);
        assertThat(CompactDeviceState.isCompact(store.get(IndexKeys.state("a")))).as("kept compact from then on").isTrue();
        assertThat(DeviceStateSerde.read(store.get(IndexKeys.state("a")))).isEqualTo(online(T0 + 100, "pump", "site-7"));
    }

    @Test
    void statesAreKeptCompactWhateverFormTheyAreWrittenOrRestoredIn() {
        KeyValueStore<Bytes, byte[]> store = deviceStore();
        store.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", null)));
        ((BatchingStateRestoreCallback) restore).restoreAll(List.of(KeyValue.pair(IndexKeys.state("b").get(), bytes(offline(null, "site-7")))));

        for (String id : List.of("a", "b")) {
            byte[] kept = store.get(IndexKeys.state(id));
            assertThat(CompactDeviceState.isCompact(kept)).isTrue();
            assertThat(kept.length).isLessThan(bytes(DeviceStateSerde.read(kept)).length);
        }
        assertThat(DeviceStateSerde.read(store.get(IndexKeys.state("b")))).isEqualTo(offline(null, "site-7"));
    }

    @Test
    void aStoreThatStoppedWithoutClosingDerivesEverythingAgain() {
        KeyValueStore<Bytes, byte[]> first = deviceStore();
        first.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", null)));
        close(first);
        KeyValueStore<Bytes, byte[]> crashed = plainStore(); // as a crash leaves it: no mark, counts of another time
        crashed.delete(IndexKeys.countsSaved());
        crashed.put(IndexKeys.count(Status.ONLINE), IndexKeys.encodeLong(7));
        crashed.put(IndexKeys.timer(T0 + 5, "gone"), new byte[] {1});
        close(crashed);

        KeyValueStore<Bytes, byte[]> store = deviceStore();

        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store)).doesNotContainKey(IndexKeys.timer(T0 + 5, "gone"));
        assertThat(IndexKeys.decodeLong(store.get(IndexKeys.count(Status.ONLINE)))).isEqualTo(1);
    }

    @Test
    void aCleanCloseSavesTheCountsAndTheNextOpenReadsThem() {
        KeyValueStore<Bytes, byte[]> first = deviceStore();
        first.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", null)));
        first.put(IndexKeys.state("b"), bytes(offline("pump", null)));
        Map<Bytes, Bytes> derived = DerivedEntries.in(first);
        close(first);
        KeyValueStore<Bytes, byte[]> closed = plainStore();
        assertThat(closed.get(IndexKeys.countsSaved())).isEqualTo(DeviceStateStore.LAYOUT);
        assertThat(IndexKeys.decodeOnline(closed.get(IndexKeys.keyCount(CountKind.DEVICE_TYPE, "pump")))).isEqualTo(1);
        close(closed);

        KeyValueStore<Bytes, byte[]> store = deviceStore();

        assertThat(DerivedEntries.in(store)).isEqualTo(derived);
    }

    @Test
    void aStoreSavedUnderAnotherLayoutDerivesEverythingAgain() {
        KeyValueStore<Bytes, byte[]> before = plainStore(); // as another version might have left it, cleanly closed
        before.put(IndexKeys.state("a"), bytes(offline("pump", "site-7")));
        before.put(IndexKeys.count(Status.ONLINE), IndexKeys.encodeLong(5)); // a count that is not the states'
        before.put(IndexKeys.countsSaved(), new byte[] {1});
        close(before);

        KeyValueStore<Bytes, byte[]> store = deviceStore();

        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store));
        assertThat(store.get(IndexKeys.count(Status.ONLINE))).isNull();
    }

    @Test
    void aKeysCountIsKeptApartWhileItHasOfflineDevices() {
        KeyValueStore<Bytes, byte[]> store = deviceStore();
        Bytes site7 = IndexKeys.withOffline(IndexKeys.keyCount(CountKind.GROUP, "site-7"));
        store.put(IndexKeys.state("a"), bytes(online(T0 + 100, "pump", "site-7")));
        store.put(IndexKeys.state("b"), bytes(online(T0 + 100, "pump", "site-7")));
        assertThat(store.get(site7)).isNull();

        store.put(IndexKeys.state("b"), bytes(offline("pump", "site-7")));
        assertThat(store.get(site7)).isEqualTo(IndexKeys.encodeCounts(1, 1));
        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store));

        store.put(IndexKeys.state("b"), bytes(offline("pump", "site-8"))); // moves while OFFLINE
        assertThat(store.get(site7)).isNull();
        assertThat(keysWithOffline(store, CountKind.GROUP)).containsExactly("site-8");

        store.delete(IndexKeys.state("b"));
        assertThat(keysWithOffline(store, CountKind.GROUP)).isEmpty();
        assertThat(DerivedEntries.in(store)).isEqualTo(DerivedEntries.impliedBy(store));
    }

    private static List<String> keysWithOffline(KeyValueStore<Bytes, byte[]> store, CountKind kind) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.withOfflineStart(kind), IndexKeys.withOfflineEnd(kind))) {
            it.forEachRemaining(entry -> keys.add(IndexKeys.keyCountKey(entry.key)));
        }
        return keys;
    }

    private static DeviceState online(long timerAt, String deviceType, String group) {
        return new DeviceState(Status.ONLINE, T0, T0, 60_000, deviceType, group, 1, timerAt, DeviceState.NO_REQUEST);
    }

    private static DeviceState offline(String deviceType, String group) {
        return new DeviceState(Status.OFFLINE, T0, T0 + 60_000, 60_000, deviceType, group, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
    }

    private static byte[] bytes(DeviceState state) {
        return SERDE.serialize(null, state);
    }

    private KeyValueStore<Bytes, byte[]> deviceStore() {
        return init(DeviceStateStore.supplier(NAME).get());
    }

    /** RocksDB alone, in the same place: to see and change the store as the disk holds it. */
    private KeyValueStore<Bytes, byte[]> plainStore() {
        return init(Stores.persistentKeyValueStore(NAME).get());
    }

    private KeyValueStore<Bytes, byte[]> init(KeyValueStore<Bytes, byte[]> store) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "device-state-store-test");
        StateStoreContext context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext();
        store.init(new KeepingRestoreCallback(context), store);
        open.add(store);
        return store;
    }

    private void close(StateStore store) {
        store.close();
        open.remove(store);
    }

    /** The mock context forgets the restore callback a store registers; this keeps it, for the test to restore through. */
    private final class KeepingRestoreCallback extends ForwardingStateStoreContext {

        KeepingRestoreCallback(StateStoreContext context) {
            super(context);
        }

        @Override
        public void register(StateStore store, StateRestoreCallback callback) {
            restore = callback;
            super.register(store, callback);
        }

        @Override
        public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
            restore = callback;
            super.register(store, callback, commitCallback);
        }
    }
}
