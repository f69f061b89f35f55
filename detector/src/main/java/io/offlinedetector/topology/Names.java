package io.offlinedetector.topology;

/** Every topic, store and node name of the topology, in one place. */
public final class Names {

    public static final String HEARTBEATS_TOPIC = "heartbeats";
    public static final String STATUS_TOPIC = "device-status";
    public static final String DLQ_TOPIC = "heartbeats-dlq";
    public static final String EVENTS_TOPIC = "detector-events";
    /** Suffix of each application's re-routing topic; see {@link Rerouting}. */
    public static final String REROUTED_TOPIC_SUFFIX = "-heartbeats-rerouted";

    /**
     * Device id → {@link io.offlinedetector.domain.DeviceState}, and beside the states the indexes the
     * store derives from them: timers, the OFFLINE list, the lists and counts by group and device type
     * ({@link DeviceStateStore}).
     */
    public static final String STATE_STORE = "device-state";
    /**
     * What no state tells: each device's transitions before its latest ({@link TransitionHistory}),
     * the timer floor, the time the task has read its partition to, and the task's marks.
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
