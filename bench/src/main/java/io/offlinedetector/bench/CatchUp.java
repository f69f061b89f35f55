package io.offlinedetector.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Runs one Streams application from the beginning of a backlog and measures its rate from the first
 * commit to zero lag, both read from the broker: the group's committed offsets against the end
 * offsets. Start-up and the first rebalance are left out, as they are not throughput.
 */
final class CatchUp {

    private static final long POLL_MILLIS = 100;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    /** @param records records read between the first commit and zero lag */
    record Result(double perSecond, long records, double seconds) {}

    private CatchUp() {}

    /**
     * Starts the application, waits for zero lag and returns with it still running, so that the
     * caller can take its footprint; the caller closes it.
     */
    static Result run(String name, Admin admin, String topic, Topology topology, Properties props, Duration limit,
            java.util.function.Consumer<KafkaStreams> started) throws InterruptedException {
        Phase phase = new Phase(name, limit);
        String group = props.getProperty(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG);
        Map<TopicPartition, Long> ends = endOffsets(admin, topic);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        KafkaStreams streams = new KafkaStreams(topology, props);
        started.accept(streams);
        streams.start();
        long firstCommitNanos = 0;
        long firstCommitted = 0;
        while (true) {
            phase.check();
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException(name + ": stream processing stopped in state " + streams.state());
            }
            long committed = committed(admin, group, ends);
            long now = System.nanoTime();
            if (committed > 0 && firstCommitNanos == 0) {
                firstCommitNanos = now;
                firstCommitted = committed;
            }
            if (committed >= total && firstCommitNanos != 0) {
                long records = total - firstCommitted;
                double seconds = (now - firstCommitNanos) / (double) TimeUnit.SECONDS.toNanos(1);
                if (records == 0 || seconds <= 0) {
                    throw new IllegalStateException(name + ": the whole backlog was committed at once; use more heartbeats");
                }
                phase.done("%,d records in %.1fs after the first commit: %,.0f/s", records, seconds, records / seconds);
                return new Result(records / seconds, records, seconds);
            }
            phase.progress("%,d of %,d committed, state %s", committed, total, streams.state());
            Thread.sleep(POLL_MILLIS); // polling the broker's offsets at a fixed pace, not test synchronisation
        }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long committed(Admin admin, String group, Map<TopicPartition, Long> ends) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long sum = 0;
            for (TopicPartition partition : ends.keySet()) {
                OffsetAndMetadata offset = offsets.get(partition);
                sum += offset == null ? 0 : offset.offset();
            }
            return sum;
        } catch (ExecutionException | TimeoutException e) {
            return 0; // the group is not there yet while the application starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
