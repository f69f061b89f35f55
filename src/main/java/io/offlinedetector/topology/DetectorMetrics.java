package io.offlinedetector.topology;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/** The detector's own Kafka Streams metrics, registered per task beside the built-in ones. */
final class DetectorMetrics {

    static final String SCOPE = "offline-detector";

    private DetectorMetrics() {}

    /** Rate and total of records sent to the dead-letter topic, tagged with the task id. */
    static Sensor deadLetteredSensor(ProcessorContext<?, ?> context) {
        String taskId = context.taskId().toString();
        return context.metrics().addRateTotalSensor(
                SCOPE, "task-" + taskId, "dead-lettered-records", Sensor.RecordingLevel.INFO, "task-id", taskId);
    }
}
