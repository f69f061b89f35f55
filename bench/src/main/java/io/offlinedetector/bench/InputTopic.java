package io.offlinedetector.bench;

import io.offlinedetector.topology.Names;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/** The {@code heartbeats} topic between stages: each stage's detectors read it from the start, so it starts empty. */
final class InputTopic {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private InputTopic() {}

    /** Deletes every record of {@code heartbeats}. */
    static void empty(Admin admin) throws InterruptedException {
        Map<TopicPartition, Long> ends = CatchUp.endOffsets(admin, Names.HEARTBEATS_TOPIC);
        try {
            admin.deleteRecords(ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue())))).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot empty " + Names.HEARTBEATS_TOPIC + ": " + e.getMessage(), e);
        }
    }
}
