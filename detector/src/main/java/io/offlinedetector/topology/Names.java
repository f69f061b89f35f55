package io.offlinedetector.topology;

/** Every topic, store and node name of the topology, in one place. */
public final class Names {

    public static final String HEARTBEATS_TOPIC = "heartbeats";
    public static final String STATUS_TOPIC = "device-status";
    public static final String DLQ_TOPIC = "heartbeats-dlq";
    public static final String EVENTS_TOPIC = "detector-events";
    /** Suffix of each application's re-routing topic; see {@link Rerouting}. */
    public static final String REROUTED_TOPIC_SUFFIX = "-heartbeats-rerouted";

    /** Device id → {@link io.offlinedetector.domain.DeviceState}. */
    public static final String STATE_STORE = "device-state";
    /**
     * Secondary indexes: the timer index, the by-status index, the status counts and the counts by
     * group and device type; and each device's latest transitions ({@link TransitionHistory}).
     */
    public static final String INDEX_STORE = "device-index";

    public static final String SOURCE = "heartbeats-source";
    public static final String REROUTED_SOURCE = "heartbeats-rerouted-source";
    public static final String DETECTOR = "detector";
    public static final String STATUS_SINK = "device-status-sink";
    public static final String DLQ_SINK = "dead-letter-sink";
    public static final String EVENTS_SINK = "detector-events-sink";
    public static final String REROUTED_SINK = "heartbeats-rerouted-sink";

    private Names() {}
}
