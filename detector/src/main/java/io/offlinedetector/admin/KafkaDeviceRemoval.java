package io.offlinedetector.admin;

import io.offlinedetector.topology.DeviceCommands;
import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a removal command to every partition of {@code heartbeats}. The device lives in the
 * partition its producers chose, which need not be the one Java's partitioner would pick (see
 * {@code StreamsFleetQueries#device}); every task receives the command and only the one that holds
 * the device acts on it. That costs a dozen small records per removal, an admin operation.
 */
public final class KafkaDeviceRemoval implements DeviceRemoval, AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<byte[], byte[]> producer;
    private final int partitions;

    public KafkaDeviceRemoval(Map<String, Object> clientProperties, int partitions) {
        Map<String, Object> props = new java.util.HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 2);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.partitions = partitions;
    }

    @Override
    public void requestRemoval(String deviceId) {
        byte[] key = deviceId.getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            sends.add(producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, partition, System.currentTimeMillis(),
                    key, null, DeviceCommands.removal())));
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the removal of '" + deviceId + "' to Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the removal of '" + deviceId + "'", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
