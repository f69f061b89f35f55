package io.offlinedetector.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * States a task holds of devices that another partition owns. Versions before re-routing
 * ({@link Rerouting}) kept a device in whatever partition its producer's partitioner chose, so after
 * an upgrade a device that a librdkafka client announced can still live in the wrong partition: there
 * it would time out once while its heartbeats now reach the owner, which would announce it again.
 * Each task therefore hands such states to their owners once, in its first check (the store marks
 * it done), with the {@link DeviceCommands#ADOPT} command; the owner adopts a state unless it already
 * knows the device.
 */
final class ForeignStates {

    private ForeignStates() {}

    /**
     * Reads every state of the store once, as written (key: the id's UTF-8); the iterator is closed
     * before the caller changes anything.
     */
    static List<KeyValue<Bytes, byte[]>> in(KeyValueStore<Bytes, byte[]> states, Rerouting rerouting, int partition) {
        List<KeyValue<Bytes, byte[]>> foreign = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = states.range(IndexKeys.statesAfter(null), null)) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (rerouting.ownerOf(entry.key.get()) != partition) {
                    foreign.add(entry);
                }
            }
        }
        return foreign;
    }
}
