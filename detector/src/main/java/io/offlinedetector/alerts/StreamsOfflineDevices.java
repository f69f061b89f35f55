package io.offlinedetector.alerts;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.Transition;
import io.offlinedetector.query.LocalTasks;
import io.offlinedetector.topology.OfflineList;
import io.offlinedetector.topology.TransitionHistory;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@link OfflineDevices} from the active copies of this instance's stores. The tasks and their stores
 * are read at each look at the assignment ({@link #activePartitions}, once a second) and held until
 * the next ({@link LocalTasks}): a pass reads thousands of devices, and finding the store through
 * Kafka Streams' view at every read costs more than the read. A store whose task has gone since is
 * closed, and reading it fails as the view's would.
 */
final class StreamsOfflineDevices implements OfflineDevices {

    private final KafkaStreams streams;
    private final FlappingPolicy flapping;
    private volatile LocalTasks tasks;

    StreamsOfflineDevices(KafkaStreams streams, FlappingPolicy flapping) {
        this.streams = streams;
        this.flapping = flapping;
    }

    @Override
    public Set<Integer> activePartitions() {
        tasks = LocalTasks.read(streams);
        return tasks.active();
    }

    @Override
    public DeviceAlert alert(String deviceId, int partition, long now) {
        DeviceState state = tasks.state(partition, false, deviceId);
        if (state == null) {
            return null; // removed: the removal brought its own resolve
        }
        if (state.status() == Status.OFFLINE) {
            // A device with no more transitions than the policy counts cannot flap: no history to read.
            boolean flaps = state.sequence() > flapping.transitions() && flapping.flappingWhenLastOffline(history(partition, deviceId, state));
            return DeviceAlert.firing(deviceId, state, flaps);
        }
        List<Transition> history = history(partition, deviceId, state);
        for (Transition transition : history) {
            if (transition.status() == Status.OFFLINE) {
                return new DeviceAlert(deviceId, state.deviceType(), state.group(), flapping.flappingWhenLastOffline(history), state.lastSeen(),
                        transition.changedAt(), Math.max(now, transition.changedAt()));
            }
        }
        return null;
    }

    @Override
    public List<String> offlineIds(int partition, String after, int max) {
        return OfflineList.idsAfter(tasks.states(partition, false), after, max);
    }

    /** The newest transitions that show the last OFFLINE, and whether it flapped then: one more than the policy counts. */
    private List<Transition> history(int partition, String deviceId, DeviceState state) {
        return TransitionHistory.newestFirst(tasks.index(partition), deviceId, state, flapping.transitions() + 1);
    }
}
