package io.offlinedetector.bench;

import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Detection latency with the detector caught up: devices send one heartbeat with a short timeout and
 * stop, while the loaded fleet keeps sending (a whole silent input would rightly engage the stall
 * guard). Measured from the {@code device-status} events: {@code detectedAt − changedAt} of each
 * OFFLINE, where {@code changedAt} is the deadline that passed.
 */
final class DetectionLatency {

    static final long TIMEOUT_MS = 2_000;
    /** Keeps the input alive well above the stall guard's 100/s without loading two cores. */
    private static final int BACKGROUND_PER_10MS = 20;

    private DetectionLatency() {}

    static Percentiles run(String bootstrap, int stopping, long loadedDevices, Duration limit) throws InterruptedException {
        Phase phase = new Phase("detection", limit);
        try (KafkaConsumer<byte[], byte[]> status = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = status.partitionsFor(Names.STATUS_TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            status.assign(partitions);
            status.seekToEnd(partitions);
            partitions.forEach(status::position); // fixes the start before anything is sent

            byte[] body = ("{\"timeoutMs\":" + TIMEOUT_MS + "}").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < stopping; i++) {
                producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, stoppingId(i).getBytes(StandardCharsets.UTF_8), body));
            }
            producer.flush();
            AtomicBoolean done = new AtomicBoolean();
            Thread background = new Thread(() -> keepSending(producer, loadedDevices, done), "bench-background-fleet");
            background.setDaemon(true);
            background.start();
            try {
                return collect(status, stopping, phase);
            } finally {
                done.set(true);
                background.join(Duration.ofSeconds(10).toMillis());
            }
        }
    }

    private static Percentiles collect(KafkaConsumer<byte[], byte[]> status, int stopping, Phase phase) {
        Map<String, Long> latencies = new HashMap<>();
        while (latencies.size() < stopping) {
            phase.check();
            for (ConsumerRecord<byte[], byte[]> record : status.poll(Duration.ofMillis(200))) {
                StatusChange change = StatusChangeJson.read(record.value());
                if (change.status() == Status.OFFLINE && change.deviceId().startsWith("bench-stop-")) {
                    latencies.putIfAbsent(change.deviceId(), change.detectedAt() - change.changedAt());
                }
            }
            phase.progress("%,d of %,d OFFLINE seen", latencies.size(), stopping);
        }
        phase.done("%,d devices detected OFFLINE", latencies.size());
        return Percentiles.of(latencies.values().stream().mapToLong(Long::longValue).toArray());
    }

    /** The rest of the fleet, still alive: about 2,000 heartbeats/s until the phase ends. */
    private static void keepSending(KafkaProducer<byte[], byte[]> producer, long devices, AtomicBoolean done) {
        long next = 0;
        try {
            while (!done.get()) {
                for (int i = 0; i < BACKGROUND_PER_10MS; i++, next++) {
                    producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC,
                            Preload.deviceId(next % devices).getBytes(StandardCharsets.UTF_8), new byte[0]));
                }
                Thread.sleep(10); // pacing the load generator, not synchronisation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String stoppingId(int index) {
        return String.format("bench-stop-%05d", index);
    }
}
