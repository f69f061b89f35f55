package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The detector's own metrics for one task, that is one {@code heartbeats} partition: Kafka Streams
 * sensors beside the built-in ones, registered when the task's processor starts and removed when it
 * closes, tagged {@code task-id} and {@code partition}, so that whatever exports Kafka Streams'
 * metrics (JMX, and {@link io.offlinedetector.metrics.InstanceMeters} behind {@code GET /metrics})
 * exports these too.
 *
 * <p>Per heartbeat and per transition the processor only increments a field; the fields reach the
 * sensors once per check and on close. The hot path takes no lock and allocates nothing, and the
 * totals lag by at most one check interval. Dead letters are rare and recorded at once.
 */
final class TaskMetrics {

    /** Micrometer's Kafka binder names these {@code kafka_offline_detector_*}. */
    static final String GROUP = "offline-detector-metrics";

    static final String HEARTBEATS = "heartbeats-total";
    static final String DEAD_LETTERED = "dead-lettered-records-total";
    static final String REROUTED = "rerouted-records-total";
    static final String TRANSITIONS = "transitions-total";
    static final String CHECKS = "checks-total";
    static final String CHECK_DURATION = "check-duration-seconds";
    static final String DUE_DEVICES = "check-due-devices";
    static final String CLOCK_LAG = "clock-lag-seconds";
    /** The same as {@link #CHECK_DURATION} in ms; deprecated, kept for one release. */
    static final String CHECK_DURATION_MS = "check-duration-ms";
    /** The same as {@link #CLOCK_LAG} in ms; deprecated, kept for one release. */
    static final String CLOCK_LAG_MS = "clock-lag-ms";

    private final StreamsMetrics metrics;
    private final List<Sensor> sensors = new ArrayList<>();
    private final Sensor heartbeats;
    private final Sensor deadLettered;
    private final Sensor rerouted;
    private final Sensor online;
    private final Sensor offline;
    private final Sensor checks;
    private final Sensor checkDuration;
    private final Sensor checkDurationMs;
    private final Sensor dueDevices;
    private final Sensor clock;

    private long pendingHeartbeats;
    private long pendingRerouted;
    private long pendingOnline;
    private long pendingOffline;

    private TaskMetrics(StreamsMetrics metrics, TaskId task) {
        this.metrics = metrics;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("task-id", task.toString());
        tags.put("partition", Integer.toString(task.partition()));
        String prefix = "offline-detector.task." + task + ".";

        heartbeats = sensor(prefix + "heartbeats");
        heartbeats.add(name(HEARTBEATS, "valid heartbeats processed", tags), new CumulativeSum());
        deadLettered = sensor(prefix + "dead-lettered");
        deadLettered.add(name(DEAD_LETTERED, "records sent to the dead-letter topic", tags), new CumulativeSum());
        rerouted = sensor(prefix + "rerouted");
        rerouted.add(name(REROUTED, "records that arrived in another partition than their device's owner and were handed on to it", tags),
                new CumulativeSum());
        online = sensor(prefix + "transitions-online");
        online.add(name(TRANSITIONS, "status transitions, by the new status", with(tags, "status", "ONLINE")), new CumulativeSum());
        offline = sensor(prefix + "transitions-offline");
        offline.add(name(TRANSITIONS, "status transitions, by the new status", with(tags, "status", "OFFLINE")), new CumulativeSum());
        checks = sensor(prefix + "checks");
        checks.add(name(CHECKS, "checks for due devices", tags), new CumulativeSum());
        checkDuration = sensor(prefix + "check-duration-seconds");
        checkDuration.add(name(CHECK_DURATION + "-avg", "average time a check took, in seconds", tags), new Avg());
        checkDuration.add(name(CHECK_DURATION + "-max", "longest time a check took, in seconds", tags), new Max());
        checkDurationMs = sensor(prefix + "check-duration");
        checkDurationMs.add(name(CHECK_DURATION_MS + "-avg", "deprecated: " + CHECK_DURATION + "-avg in ms", tags), new Avg());
        checkDurationMs.add(name(CHECK_DURATION_MS + "-max", "deprecated: " + CHECK_DURATION + "-max in ms", tags), new Max());
        dueDevices = sensor(prefix + "due-devices");
        dueDevices.add(name(DUE_DEVICES + "-avg", "average number of due devices a check handled", tags), new Avg());
        dueDevices.add(name(DUE_DEVICES + "-max", "most due devices a check handled", tags), new Max());
        clock = sensor(prefix + "clock");
        clock.add(name(CLOCK_LAG, "wall clock minus the detector clock of the latest check, in seconds: "
                + "up to one check interval when caught up, more while the detector is behind", tags), new ClockLag(1_000));
        clock.add(name(CLOCK_LAG_MS, "deprecated: " + CLOCK_LAG + " in ms", tags), new ClockLag(1));
    }

    static TaskMetrics register(ProcessorContext<?, ?> context) {
        return new TaskMetrics(context.metrics(), context.taskId());
    }

    void heartbeat() {
        pendingHeartbeats++;
    }

    void rerouted() {
        pendingRerouted++;
    }

    void transition(Status status) {
        if (status == Status.ONLINE) {
            pendingOnline++;
        } else if (status == Status.OFFLINE) {
            pendingOffline++;
        }
    }

    void deadLettered() {
        deadLettered.record();
    }

    /**
     * After each check.
     *
     * @param detectorTimeMs the clock the check judged devices by; the clock-lag gauge is the wall
     *     clock minus this
     */
    void checked(int due, long durationNanos, long detectorTimeMs) {
        checks.record();
        checkDuration.record(durationNanos / 1e9);
        checkDurationMs.record(durationNanos / 1e6);
        dueDevices.record(due);
        clock.record(detectorTimeMs);
        flush();
    }

    /** Hands the counts kept in fields to the sensors. */
    void flush() {
        if (pendingHeartbeats > 0) {
            heartbeats.record(pendingHeartbeats);
            pendingHeartbeats = 0;
        }
        if (pendingRerouted > 0) {
            rerouted.record(pendingRerouted);
            pendingRerouted = 0;
        }
        if (pendingOnline > 0) {
            online.record(pendingOnline);
            pendingOnline = 0;
        }
        if (pendingOffline > 0) {
            offline.record(pendingOffline);
            pendingOffline = 0;
        }
    }

    void close() {
        flush();
        sensors.forEach(metrics::removeSensor);
    }

    private Sensor sensor(String name) {
        Sensor sensor = metrics.addSensor(name, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    private static MetricName name(String name, String description, Map<String, String> tags) {
        return new MetricName(name, GROUP, description, tags);
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(tags);
        more.put(key, value);
        return more;
    }

    /**
     * Records the detector clock of each check; measures the wall clock minus the latest one when
     * read. Measured at read time rather than at the check, so that a check that stops happening
     * shows as a growing lag instead of a frozen, reassuring value.
     */
    static final class ClockLag implements MeasurableStat {

        private final double msPerUnit;
        private long detectorTime = -1;

        /** @param msPerUnit the unit the lag is measured in: 1 for ms, 1000 for seconds */
        ClockLag(double msPerUnit) {
            this.msPerUnit = msPerUnit;
        }

        @Override
        public void record(MetricConfig config, double value, long timeMs) {
            detectorTime = (long) value;
        }

        @Override
        public double measure(MetricConfig config, long now) {
            return detectorTime < 0 ? Double.NaN : Math.max(0, now - detectorTime) / msPerUnit;
        }
    }
}
