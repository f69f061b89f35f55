package io.offlinedetector.testing;

import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A fleet of test devices that beat on a fixed interval with the current time, until each is told
 * to stop; it records every device's last heartbeat time. Bounded: it stops itself after
 * {@code maxRun}.
 */
public final class HeartbeatSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> beating = new ConcurrentHashMap<>();

    public HeartbeatSender(String bootstrapServers, List<String> devices, Duration interval, Duration maxRun) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        devices.forEach(device -> beating.put(device, true));
        scheduler.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> beating.replaceAll((device, on) -> false), maxRun.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        long now = System.currentTimeMillis();
        beating.forEach((device, on) -> {
            if (on) {
                producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, (Integer) null, now, device.getBytes(StandardCharsets.UTF_8), (byte[]) null));
                lastSent.put(device, now);
            }
        });
        producer.flush();
    }

    /** Stops these devices after the heartbeat in flight, if any; returns once none of them will beat again. */
    public void stop(List<String> devices) throws Exception {
        devices.forEach(device -> beating.put(device, false));
        scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS); // the beat in progress has finished
    }

    /** Lets these devices beat again from the next tick on. */
    public void resume(List<String> devices) {
        devices.forEach(device -> beating.put(device, true));
    }

    /** The time of the device's last heartbeat; stable once the device is stopped. */
    public long lastSent(String device) {
        return lastSent.get(device);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
