package io.offlinedetector.topology;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The one topology factory, used by production and tests alike:
 *
 * <pre>
 *   heartbeats ──────────────▶ detector ──▶ device-status
 *   &lt;app&gt;-heartbeats-rerouted ─▶ │  ├────▶ heartbeats-dlq   (records that are not valid heartbeats)
 *        ▲                       │  ├────▶ detector-events  (ingestion stalled / resumed)
 *        └───────────────────────┘  │      (records that arrived in another partition than their owner's)
 *                                   └ stores: device-state, device-index
 * </pre>
 *
 * The re-routing topic and its loop exist only with more than one partition ({@link Rerouting}).
 */
public final class DetectorTopology {

    private DetectorTopology() {}

    /** The topology with the wall clock as the detector's clock and one partition: for tests that drive the clock. */
    public static Topology build(DetectionSettings settings) {
        return build(settings, InputProgress.ASSUME_CAUGHT_UP, Rerouting.NONE);
    }

    /**
     * @param progress  how far the input is read, for the detector's clock (see {@link DetectorClock})
     * @param rerouting where records go that arrived in another partition than their device's owner
     */
    public static Topology build(DetectionSettings settings, InputProgress progress, Rerouting rerouting) {
        return build(settings, progress, rerouting, DeviceChangeListener.NONE);
    }

    /** @param changes told of each device whose status changes or that is removed (the Alertmanager client) */
    public static Topology build(DetectionSettings settings, InputProgress progress, Rerouting rerouting, DeviceChangeListener changes) {
        Topology topology = new Topology();
        topology.addSource(
                AutoOffsetReset.earliest(),
                Names.SOURCE,
                new HeartbeatTimestamps(),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Names.HEARTBEATS_TOPIC);
        if (rerouting.enabled()) {
            // The same timestamps: a handed-on heartbeat keeps the time its producer gave it.
            topology.addSource(
                    AutoOffsetReset.earliest(),
                    Names.REROUTED_SOURCE,
                    new HeartbeatTimestamps(),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(),
                    rerouting.topic());
            topology.addProcessor(Names.DETECTOR, () -> new DetectorProcessor(settings, progress, rerouting, changes), Names.SOURCE,
                    Names.REROUTED_SOURCE);
            topology.addSink(Names.REROUTED_SINK, rerouting.topic(), new ByteArraySerializer(), new ByteArraySerializer(),
                    new Rerouting.ToOwner(), Names.DETECTOR);
        } else {
            topology.addProcessor(Names.DETECTOR, () -> new DetectorProcessor(settings, progress, rerouting, changes), Names.SOURCE);
        }
        // No record cache on either store: a device's heartbeats come seconds apart, far more than a
        // commit interval, so a cache would never save a write to RocksDB or the changelog, only add
        // its own bookkeeping; and once full, each eviction flushes every dirty entry, the busy counts
        // too. The counts are written below the changelog anyway, with the states they follow.
        topology.addStateStore(
                Stores.keyValueStoreBuilder(DeviceStateStore.supplier(Names.STATE_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                Names.DETECTOR);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                Names.DETECTOR);
        topology.addSink(Names.STATUS_SINK, Names.STATUS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer(), Names.DETECTOR);
        topology.addSink(Names.DLQ_SINK, Names.DLQ_TOPIC, new ByteArraySerializer(), new ByteArraySerializer(), Names.DETECTOR);
        topology.addSink(Names.EVENTS_SINK, Names.EVENTS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer(), Names.DETECTOR);
        return topology;
    }
}
