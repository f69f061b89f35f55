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
    private KeyValueStore<String, DeviceState> states;
    private TimerIndex timers;
    private StatusIndex byStatus;
    private KeyCounts byKey;
    private KeyIndex keyIndex;
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
        this.timers = new TimerIndex(index);
        this.byStatus = new StatusIndex(index);
        this.byKey = new KeyCounts(index);
        this.keyIndex = new KeyIndex(index);
        this.history = new TransitionHistory(index);
        if (!byKey.addUp()) {
            byKey.recount(states); // kept by a version that did not count by group and type
        }
        if (!keyIndex.listed()) {
            keyIndex.rebuild(states); // kept by a version that did not list devices by group and type
        }
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
            adopt(new String(record.key(), StandardCharsets.UTF_8), STATE_SERDE.deserialize(null, record.value()));
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
        String deviceId = parsed.heartbeat().deviceId();
        DeviceState current = states.get(deviceId);
        apply(deviceId, current, rules.onHeartbeat(current, parsed.heartbeat(), detectorTime(wallNow)));
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
                DeviceState current = states.get(filing.deviceId());
                if (current == null || current.timerAt() != filing.deadline()) {
                    timers.unfile(filing.deviceId(), filing.deadline()); // re-filed earlier, or removed
                } else {
                    apply(filing.deviceId(), current, rules.onTimer(filing.deviceId(), current, filing.deadline(), now));
                }
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
        String deviceId = key == null ? null : new String(key, StandardCharsets.UTF_8);
        DeviceState current = deviceId == null ? null : states.get(deviceId);
        if (current != null) {
            remove(deviceId, current, context.currentSystemTimeMs());
        }
    }

    private void remove(String deviceId, DeviceState current, long wallNow) {
        if (current.status() == Status.OFFLINE) {
            boolean wasFlapping = flapping.flappingWhenLastOffline(TransitionHistory.newestFirst(index, deviceId, flapping.transitions() + 1));
            changes.removedWhileOffline(deviceId, context.taskId().partition(), current, wasFlapping);
        }
        forget(deviceId, current);
        byte[] key = deviceId.getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<byte[], byte[]>(key, null, wallNow), Names.STATUS_SINK); // tombstone
    }

    /** Drops the device's state, its index entries and its history, and says nothing: the device goes on elsewhere or not at all. */
    private void forget(String deviceId, DeviceState current) {
        states.delete(deviceId);
        history.forget(deviceId);
        if (current.hasTimer()) {
            timers.unfile(deviceId, current.timerAt());
        }
        byStatus.remove(deviceId, current.status());
        byKey.remove(current);
        keyIndex.remove(deviceId, current);
    }

    /**
     * Once per task: states of devices another partition owns go to their owners (see {@link ForeignStates}).
     * Such states were kept by versions before re-routing, which kept no history: there is none to hand over.
     */
    private void handOverForeignStates(long wallNow) {
        int partition = context.taskId().partition();
        for (KeyValue<String, DeviceState> foreign : ForeignStates.in(states, rerouting, partition)) {
            forget(foreign.key, foreign.value);
            byte[] key = foreign.key.getBytes(StandardCharsets.UTF_8);
            context.forward(new Record<>(key, STATE_SERDE.serialize(null, foreign.value), wallNow, DeviceCommands.adoption()),
                    Names.REROUTED_SINK);
        }
        index.put(IndexKeys.foreignStatesHandedOver(), new byte[] {1});
        foreignStatesHandedOver = true;
    }

    /**
     * A state handed over by another partition, unless this owner already knows the device: its own
     * state is the live one. It comes without history ({@link #handOverForeignStates}): the device's
     * history starts with its next transition, and its uptime counts from its current status.
     */
    private void adopt(String deviceId, DeviceState handedOver) {
        if (states.get(deviceId) != null) {
            return;
        }
        states.put(deviceId, handedOver);
        if (handedOver.hasTimer()) {
            timers.file(deviceId, handedOver.timerAt());
        }
        byStatus.move(deviceId, Status.UNKNOWN, handedOver.status());
        byKey.add(handedOver);
        keyIndex.add(deviceId, handedOver);
    }

    private void apply(String deviceId, DeviceState current, Outcome outcome) {
        if (outcome.removes()) {
            remove(deviceId, current, context.currentSystemTimeMs());
            return;
        }
        DeviceState next = outcome.state();
        if (next.equals(current)) {
            return;
        }
        states.put(deviceId, next);
        byKey.change(current, next);
        keyIndex.change(deviceId, current, next);
        long oldTimer = current == null ? DeviceState.NO_TIMER : current.timerAt();
        if (oldTimer != next.timerAt()) {
            if (oldTimer != DeviceState.NO_TIMER) {
                timers.unfile(deviceId, oldTimer);
            }
            if (next.hasTimer()) {
                timers.file(deviceId, next.timerAt());
            }
        }
        if (outcome.changed()) {
            publish(outcome.change());
        }
    }

    private void publish(StatusChange decided) {
        StatusChange change = decided.withFlapping(flaps(decided));
        byStatus.move(change.deviceId(), change.previousStatus(), change.status());
        history.append(change);
        metrics.transition(change.status());
        byte[] key = change.deviceId().getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<>(key, StatusChangeJson.write(change), change.changedAt()), Names.STATUS_SINK);
        changes.statusChanged(change, context.taskId().partition());
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
