package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes the backlog the catch-up phase reads: {@code heartbeats} records over {@code devices} devices. */
final class Preload {

    /** A typical heartbeat body, so that the parser's work is part of what is measured. */
    private static final byte[] BODY = "{\"deviceType\":\"sensor\"}".getBytes(StandardCharsets.UTF_8);

    private Preload() {}

    static String deviceId(long index) {
        return String.format("bench-%08d", index);
    }

    /** A producer for writing many records fast and durably: large batches, compressed, acknowledged by all replicas. */
    static Map<String, Object> bulkProducer(String bootstrap) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.ACKS_CONFIG, "all");
    }

    /** @return heartbeats per second the producer wrote */
    static double run(String bootstrap, String topic, long heartbeats, long devices, Duration limit) {
        Phase phase = new Phase("preload", limit);
        Map<String, Object> props = bulkProducer(bootstrap);
        AcknowledgedSends sends = new AcknowledgedSends("preload");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < heartbeats; i++) {
                byte[] key = deviceId(i % devices).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, BODY), sends.callback());
                if ((i & 0x3FFF) == 0) {
                    phase.check();
                    phase.progress("%,d of %,d sent", i, heartbeats);
                    sends.throwIfFailed();
                }
            }
            producer.flush();
            producer.close(Duration.ofSeconds(30));
        }
        sends.requireAll(heartbeats);
        double seconds = (System.nanoTime() - start) / (double) TimeUnit.SECONDS.toNanos(1);
        phase.done("%,d heartbeats for %,d devices in %.1fs", heartbeats, devices, seconds);
        return heartbeats / seconds;
    }
}
