package io.offlinedetector.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The sending loop against Kafka's {@link MockProducer}: keys, values, timestamps, rate and the bound. */
class FleetSimulatorTest {

    private static FleetSettings settings(int devices, Duration interval, double dropout, List<String> types, Duration duration) {
        return new FleetSettings(devices, interval, dropout, Duration.ofSeconds(30), types, duration, "dev-", 1,
                Duration.ofMillis(200), Scenario.STEADY);
    }

    private static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, new SinglePartition(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The mock knows no cluster; one partition is all these tests need. */
    private static final class SinglePartition implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return 0;
        }

        @Override
        public void configure(Map<String, ?> configs) {}

        @Override
        public void close() {}
    }

    @Test
    void sendsEveryDeviceOncePerIntervalKeyedByIdWithItsTypeAndTheSendTime() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        List<Progress> reports = new CopyOnWriteArrayList<>();
        long before = System.currentTimeMillis();
        FleetSimulator simulator = FleetSimulator.start(
                settings(10, Duration.ofMillis(100), 0, List.of("thermostat", "camera"), Duration.ofSeconds(1)), producer, reports::add);

        assertTrue(simulator.awaitCompletion(Duration.ofSeconds(20)), "the run ends after its duration");
        long after = System.currentTimeMillis();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        Map<String, Integer> perDevice = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> record : sent) {
            String device = new String(record.key(), StandardCharsets.UTF_8);
            perDevice.merge(device, 1, Integer::sum);
            assertEquals(Names.HEARTBEATS_TOPIC, record.topic());
            int number = Integer.parseInt(device.substring("dev-".length()));
            String type = number % 2 == 0 ? "thermostat" : "camera";
            assertArrayEquals(("{\"deviceType\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8), record.value());
            assertTrue(record.timestamp() >= before && record.timestamp() <= after, "timestamp is the send time");
        }
        assertEquals(10, perDevice.size(), "every device sends: " + perDevice);
        // 1 s at one heartbeat per 100 ms: 10 each, give or take the edges of the run
        perDevice.forEach((device, count) -> assertTrue(count >= 8 && count <= 10, device + " sent " + count));
        assertTrue(sent.size() <= new FleetSchedule(10, Duration.ofMillis(100), 0, Duration.ofSeconds(30), 1)
                .sendsBefore(Duration.ofSeconds(1).toNanos()), "never more than the schedule holds");
        assertTrue(producer.closed(), "the producer is closed at the end");
        assertEquals(sent.size(), simulator.progress().sent());
        assertTrue(reports.size() >= 2, "progress is reported while running: " + reports);
    }

    @Test
    void skewedDevicesStampTheirHeartbeatsAheadOrBehind() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        FleetSettings skewed = new FleetSettings(20, Duration.ofMillis(50), 0, Duration.ofSeconds(30), List.of(),
                Duration.ofMillis(300), "dev-", 1, Duration.ofMillis(200),
                new Scenario(Scenario.Kind.CLOCK_SKEW, Duration.ZERO, 1, Duration.ofHours(1)));
        long before = System.currentTimeMillis();
        FleetSimulator simulator = FleetSimulator.start(skewed, producer, p -> {});
        assertTrue(simulator.awaitCompletion(Duration.ofSeconds(20)));
        long after = System.currentTimeMillis();

        assertTrue(producer.history().size() > 0);
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            long skew = Math.abs(record.timestamp() - (before + after) / 2);
            assertTrue(skew > 3_500_000 && skew < 3_700_000, "an hour off: " + (record.timestamp() - before));
        }
    }

    @Test
    void flappingDevicesNameTheirOwnTimeout() {
        assertEquals("{\"deviceType\":\"cam\",\"timeoutMs\":1500}", new String(FleetSimulator.value("cam", 1_500), StandardCharsets.UTF_8));
        assertEquals("{\"timeoutMs\":1500}", new String(FleetSimulator.value(null, 1_500), StandardCharsets.UTF_8));
        assertEquals("{\"deviceType\":\"a\\\"b\"}", new String(FleetSimulator.value("a\"b", 0), StandardCharsets.UTF_8));
    }

    @Test
    void sendsEmptyValuesWithoutTypes() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        FleetSimulator simulator = FleetSimulator.start(settings(3, Duration.ofMillis(50), 0, List.of(), Duration.ofMillis(300)), producer, p -> {});
        assertTrue(simulator.awaitCompletion(Duration.ofSeconds(20)));
        assertTrue(producer.history().size() > 0);
        producer.history().forEach(record -> assertEquals(0, record.value().length));
    }

    @Test
    void closeStopsTheRunEarlyAndClosesTheProducer() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        FleetSimulator simulator = FleetSimulator.start(settings(100, Duration.ofSeconds(1), 0.1, List.of(), Duration.ofHours(1)), producer, p -> {});

        simulator.close();

        assertTrue(simulator.awaitCompletion(Duration.ofSeconds(1)), "close returns once the run is over");
        assertTrue(producer.closed());
    }

    @Test
    void countsRefusedHeartbeatsAsErrors() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = producer();
        producer.sendException = new org.apache.kafka.common.KafkaException("broker says no");
        FleetSimulator simulator = FleetSimulator.start(settings(5, Duration.ofMillis(50), 0, List.of(), Duration.ofMillis(300)), producer, p -> {});

        assertTrue(simulator.awaitCompletion(Duration.ofSeconds(20)));

        assertTrue(simulator.progress().errors() > 0);
        assertEquals(0, simulator.progress().sent());
        assertTrue(simulator.firstError().contains("broker says no"), simulator.firstError());
    }
}
