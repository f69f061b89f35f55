package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    /** Reads the whole store once; the iterator is closed before the caller changes anything. */
    static List<KeyValue<String, DeviceState>> in(KeyValueStore<String, DeviceState> states, Rerouting rerouting, int partition) {
        List<KeyValue<String, DeviceState>> foreign = new ArrayList<>();
        try (KeyValueIterator<String, DeviceState> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeviceState> entry = all.next();
                if (rerouting.ownerOf(entry.key.getBytes(StandardCharsets.UTF_8)) != partition) {
                    foreign.add(entry);
                }
            }
        }
        return foreign;
    }
}
