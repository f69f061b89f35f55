package io.offlinedetector.topology;

import io.offlinedetector.domain.DetectorTime;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Outcome;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.Transition;
import io.offlinedetector.domain.TransitionRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Thin glue between Kafka Streams and the {@link TransitionRules}: parses each heartbeat, applies
 * the rules against the stored state, keeps the indexes in step and forwards the transitions. A
 * wall-clock punctuator fires the due timers.
 *
 * <p>Everything a punctuation needs lives in the stores, so that a task resumes correctly on any
 * instance after a rebalance or restart. The only clock is the one Kafka Streams passes in
 * ({@link ProcessorContext#currentSystemTimeMs()} and the punctuation time), so tests drive it.
 */
final class DetectorProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    /** Due timers handled per store scan; the scan's iterator is closed before the changes. */
    static final int DUE_BATCH = 10_000;
    private static final DeviceStateSerde STATE_SERDE = new DeviceStateSerde();

    private final DetectionSettings settings;
    private final InputProgress progress;
    private final Rerouting rerouting;
    private final TransitionRules rules;
    private final FlappingPolicy flapping;
    private final DeviceChangeListener changes;
    private final HeartbeatParser parser = new HeartbeatParser();

    private ProcessorContext<byte[], byte[]> context;
    /** Device states by id, and the entries the store derives from them ({@link DeviceStateStore}). */
    private KeyValueStore<Bytes, byte[]> states;
    private TimerIndex timers;
    private TransitionHistory history;
    private TaskMetrics metrics;
    /**
     * The offset after the last record this task processed, or -1 since it started. Only a hint for
     * the detector's clock: when lost (restart, migration), the group's committed offset stands in.
     */
    private long nextOffset = -1;
    /** Likewise for this task's partition of the re-routing topic. */
    private long nextReroutedOffset = -1;
    private final ReadTimeTracker recentTimes = new ReadTimeTracker();
    /** Record time this task has read its partition to; kept in the store across restarts. */
    private long readTime;
    private KeyValueStore<Bytes, byte[]> index;
    private StallAnnouncer stallAnnouncer;
    private boolean foreignStatesHandedOver;

    DetectorProcessor(DetectionSettings settings, InputProgress progress, Rerouting rerouting, DeviceChangeListener changes) {
        this.settings = settings;
        this.progress = progress;
        this.rerouting = rerouting;
        this.flapping = settings.flapping();
        this.changes = changes;
        this.rules = new TransitionRules(settings.timeouts(), settings.clockSkewMax().toMillis(), settings.offlineRetention().toMillis());
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(Names.STATE_STORE);
        this.index = context.getStateStore(Names.INDEX_STORE);
        this.readTime = IndexKeys.decodeLong(index.get(IndexKeys.readTime()), -1);
        LegacyIndexEntries.dropFrom(index);
        this.timers = new TimerIndex(states, index);
        this.history = new TransitionHistory(index);
        this.metrics = TaskMetrics.register(context);
        this.stallAnnouncer = StallAnnouncer.announces(context) ? new StallAnnouncer(context, index) : null;
        this.foreignStatesHandedOver = !rerouting.enabled() || index.get(IndexKeys.foreignStatesHandedOver()) != null;
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        boolean handedOn = source != null && rerouting.enabled() && source.topic().equals(rerouting.topic());
        long wallNow = context.currentSystemTimeMs();
        if (handedOn) {
            nextReroutedOffset = source.offset() + 1;
        } else {
            // Dead letters and records handed on to their owner count as read too: the input is read through them.
            if (source != null) {
                nextOffset = source.offset() + 1;
            }
            if (record.timestamp() <= wallNow + settings.clockSkewMax().toMillis()) {
                recentTimes.record(record.timestamp());
            }
        }
        if (DeviceCommands.isRemoval(record.headers())) {
            removeOnCommand(record.key()); // sent to every partition: never handed on
            return;
        }
        if (handedOn && DeviceCommands.isAdoption(record.headers())) {
            adopt(Bytes.wrap(record.key()), STATE_SERDE.deserialize(null, record.value()));
            return;
        }
        if (!handedOn && ownedElsewhere(record.key())) {
            handOn(record, source);
            return;
        }
        HeartbeatParser.Parsed parsed = parser.parse(record.key(), record.value(), record.timestamp());
        if (!parsed.ok()) {
            // A handed-on record already carries where it came from in the input.
            deadLetter(record, parsed.rejection(), handedOn ? null : source);
            return;
        }
        metrics.heartbeat();
        // The key's bytes are the id's UTF-8: the parser decoded them strictly.
        Bytes key = Bytes.wrap(record.key());
        DeviceState current = read(key);
        apply(key, parsed.heartbeat().deviceId(), current, rules.onHeartbeat(current, parsed.heartbeat(), detectorTime(wallNow)));
    }

    @Override
    public void close() {
        metrics.close();
    }

    private void fireDueTimers(long wallNow) {
        long started = System.nanoTime(); // for the check-duration metric only, never for a verdict
        if (!foreignStatesHandedOver) {
            handOverForeignStates(wallNow);
        }
        advanceReadTime();
        if (stallAnnouncer != null) {
            stallAnnouncer.update(progress.stall(), wallNow);
        }
        DetectorTime now = detectorTime(wallNow);
        int fired = 0;
        List<TimerIndex.Filing> due;
        do {
            due = timers.due(now.clock(), DUE_BATCH);
            fired += due.size();
            for (TimerIndex.Filing filing : due) {
                Bytes key = IndexKeys.state(filing.deviceId());
                DeviceState current = read(key);
                apply(key, filing.deviceId(), current, rules.onTimer(filing.deviceId(), current, filing.deadline(), now));
            }
        } while (due.size() == DUE_BATCH);
        metrics.checked(fired, System.nanoTime() - started, now.clock());
    }

    private void advanceReadTime() {
        long median = recentTimes.median();
        if (median > readTime) {
            readTime = median;
            index.put(IndexKeys.readTime(), IndexKeys.encodeLong(readTime));
        }
    }

    private DetectorTime detectorTime(long wallNow) {
        int partition = context.taskId().partition();
        long readThrough = progress.readThrough(partition, nextOffset);
        long reroutedThrough = rerouting.enabled() ? progress.reroutedThrough(partition, nextReroutedOffset) : Long.MAX_VALUE;
        return DetectorClock.at(wallNow, readThrough, readTime, reroutedThrough, progress.stall());
    }

    /** A record without a key stays: it is dead-lettered here, like any record without a device. */
    private boolean ownedElsewhere(byte[] key) {
        return rerouting.enabled() && key != null && rerouting.ownerOf(key) != context.taskId().partition();
    }

    /** To the owner's partition of the re-routing topic, unchanged but for headers saying where it was read. */
    private void handOn(Record<byte[], byte[]> record, RecordMetadata source) {
        if (source != null) {
            DeadLetterHeaders.addSource(record.headers(), source);
        }
        context.forward(record, Names.REROUTED_SINK);
        metrics.rerouted();
    }

    /** A removal requested through Kafka (DELETE /devices/{id}) reaches every partition; the owner acts. */
    private void removeOnCommand(byte[] key) {
        DeviceState current = key == null ? null : read(Bytes.wrap(key));
        if (current != null) {
            remove(Bytes.wrap(key), new String(key, StandardCharsets.UTF_8), current, context.currentSystemTimeMs());
        }
    }

    private void remove(Bytes key, String deviceId, DeviceState current, long wallNow) {
        if (current.status() == Status.OFFLINE) {
            changes.offlineLabelsGone(deviceId, context.taskId().partition(), current, flappingWhenOffline(deviceId, current));
        }
        forget(key, deviceId);
        context.forward(new Record<byte[], byte[]>(key.get(), null, wallNow), Names.STATUS_SINK); // tombstone
    }

    /** Drops the device's state (the store drops its index entries with it) and its history, and says nothing: the device goes on elsewhere or not at all. */
    private void forget(Bytes key, String deviceId) {
        states.delete(key);
        history.forget(deviceId);
    }

    /**
     * Once per task: states of devices another partition owns go to their owners (see {@link ForeignStates}).
     * Such states were kept by versions before re-routing, which kept no history: there is none to hand over.
     */
    private void handOverForeignStates(long wallNow) {
        int partition = context.taskId().partition();
        for (KeyValue<Bytes, byte[]> foreign : ForeignStates.in(states, rerouting, partition)) {
            forget(foreign.key, IndexKeys.stateDeviceId(foreign.key));
            // In the form the changelog keeps, which every version reads, not the store's own.
            byte[] state = STATE_SERDE.serialize(null, STATE_SERDE.deserialize(null, foreign.value));
            context.forward(new Record<>(foreign.key.get(), state, wallNow, DeviceCommands.adoption()), Names.REROUTED_SINK);
        }
        index.put(IndexKeys.foreignStatesHandedOver(), new byte[] {1});
        foreignStatesHandedOver = true;
    }

    /**
     * A state handed over by another partition, unless this owner already knows the device: its own
     * state is the live one. It comes without history ({@link #handOverForeignStates}): the device's
     * history starts with the transition its state tells, and its uptime counts from its current status.
     */
    private void adopt(Bytes key, DeviceState handedOver) {
        if (states.get(key) != null) {
            return;
        }
        write(key, null, handedOver);
    }

    private DeviceState read(Bytes key) {
        return STATE_SERDE.deserialize(null, states.get(key));
    }

    /** The state, and with it (in the store) the device's index entries; a timer under the floor lowers it. */
    private void write(Bytes key, DeviceState current, DeviceState next) {
        states.put(key, STATE_SERDE.serialize(null, next));
        if (next.hasTimer() && (current == null || current.timerAt() != next.timerAt())) {
            timers.filed(next.timerAt());
        }
    }

    private void apply(Bytes key, String deviceId, DeviceState current, Outcome outcome) {
        if (outcome.removes()) {
            remove(key, deviceId, current, context.currentSystemTimeMs());
            return;
        }
        DeviceState next = outcome.state();
        if (next.equals(current)) {
            return;
        }
        write(key, current, next);
        if (outcome.changed()) {
            publish(outcome.change(), current);
        }
    }

    /** @param previous the device's state before the change, or {@code null} for a new device */
    private void publish(StatusChange decided, DeviceState previous) {
        if (previous != null) {
            history.append(decided.deviceId(), Transition.latestOf(previous)); // the new state tells only the new transition
        }
        StatusChange change = decided.withFlapping(flaps(decided));
        metrics.transition(change.status());
        byte[] key = change.deviceId().getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<>(key, StatusChangeJson.write(change), change.changedAt()), Names.STATUS_SINK);
        changes.statusChanged(change, context.taskId().partition());
        if (previous != null && previous.status() == Status.OFFLINE && !sameLabels(previous, change)) {
            // Came back under another group or type: its alert was raised under the old ones.
            changes.offlineLabelsGone(change.deviceId(), context.taskId().partition(), previous, flappingWhenOffline(change.deviceId(), previous));
        }
    }

    private static boolean sameLabels(DeviceState state, StatusChange change) {
        return Objects.equals(state.group(), change.group()) && Objects.equals(state.deviceType(), change.deviceType());
    }

    /** Whether the device was flapping when it went OFFLINE, the episode {@code offline} is in: one more transition than the policy counts. */
    private boolean flappingWhenOffline(String deviceId, DeviceState offline) {
        return flapping.flappingWhenLastOffline(TransitionHistory.newestFirst(index, deviceId, offline, flapping.transitions() + 1));
    }

    /**
     * Whether the device flaps with this change, from the change and the transitions before it. A
     * device with fewer transitions than the policy counts cannot flap: its history is not read
     * (every new device's first transition, the bulk of a catch-up, reads nothing).
     */
    private boolean flaps(StatusChange change) {
        if (change.sequence() <= flapping.transitions()) {
            return false;
        }
        List<Transition> newestFirst = new ArrayList<>(flapping.transitions());
        newestFirst.add(Transition.of(change));
        newestFirst.addAll(TransitionHistory.newestFirst(index, change.deviceId(), flapping.transitions() - 1));
        return flapping.flappingAt(newestFirst, change.changedAt());
    }

    /** @param source where the record was read, or {@code null} to keep the source headers it has */
    private void deadLetter(Record<byte[], byte[]> record, Rejection rejection, RecordMetadata source) {
        DeadLetterHeaders.add(record.headers(), rejection, source);
        context.forward(record, Names.DLQ_SINK);
        metrics.deadLettered();
    }
}
