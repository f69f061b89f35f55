package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storms on a real broker: a whole fleet's first heartbeats at once, then the whole fleet silent
 * at once. Every transition exactly once; lookups keep answering. Prints the figures.
 */
class StormIT {

    private static final int DEVICES = 100_000;
    private static final long TIMEOUT_MS = 15_000;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path stateDir;

    @Test
    void aWholeFleetArrivingAndFallingSilentAtOnceGivesEachTransitionExactlyOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
                // A whole fleet falling silent at once is exactly what the ingestion-stall guard holds
                // (IngestionStallIT); here the fleet really is silent, so the guard is off.
                App app = DetectorApps.start(broker, "storm", stateDir, Map.of(Setting.DEFAULT_TIMEOUT, TIMEOUT_MS + "ms",
                        Setting.CHECK_INTERVAL, "1s", Setting.STALL_GUARD, "false"));
                TopicTail statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG, 20,
                        ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            await().atMost(WAIT).until(app::ready);

            Lookups lookups = new Lookups(app.httpPort());
            Thread lookupThread = new Thread(lookups::run, "storm-lookups");
            lookupThread.start();
            long stormStart = System.currentTimeMillis();
            for (int i = 0; i < DEVICES; i++) {
                producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, id(i).getBytes(StandardCharsets.UTF_8), new byte[0]));
            }
            producer.flush();
            long lastSent = System.currentTimeMillis();

            await().atMost(WAIT).until(() -> statuses.size() >= DEVICES);
            long allOnline = System.currentTimeMillis();
            lookups.stop();
            lookupThread.join(10_000);

            await().atMost(WAIT).until(() -> statuses.size() >= 2 * DEVICES);
            long allOffline = System.currentTimeMillis();

            List<StatusChange> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : statuses.records()) {
                events.add(StatusChangeJson.read(record.value()));
            }
            Set<String> distinct = new HashSet<>();
            events.forEach(e -> distinct.add(e.deviceId() + "#" + e.sequence()));
            assertThat(distinct).as("(device, sequence) pairs").hasSize(2 * DEVICES);
            assertThat(events).filteredOn(e -> e.status() == Status.ONLINE).hasSize(DEVICES);
            List<StatusChange> offline = events.stream().filter(e -> e.status() == Status.OFFLINE).toList();
            assertThat(offline).hasSize(DEVICES);
            long maxDelay = offline.stream().mapToLong(e -> e.detectedAt() - e.changedAt()).max().orElseThrow();
            long lastDeadline = offline.stream().mapToLong(StatusChange::changedAt).max().orElseThrow();
            assertThat(lookups.failures()).as("lookups that got no answer or a 5xx during the storm").isEmpty();

            List<Long> latencies = lookups.latenciesMicros();
            System.out.printf("STORM %,d devices: produced in %d ms; all ONLINE events visible %d ms after the first send%n",
                    DEVICES, lastSent - stormStart, allOnline - stormStart);
            System.out.printf("STORM lookups during the arrival storm: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    latencies.size(), percentile(latencies, 50) / 1000.0, percentile(latencies, 99) / 1000.0,
                    percentile(latencies, 100) / 1000.0);
            System.out.printf("STORM all %,d OFFLINE events visible %d ms after the last deadline; max detectedAt - changedAt %d ms%n",
                    DEVICES, allOffline - lastDeadline, maxDelay);
            assertThat(allOffline - lastDeadline).as("time from the last deadline until every OFFLINE event is visible, ms")
                    .isLessThan(60_000);
        }
    }

    private static String id(int i) {
        return "storm-device-" + i;
    }

    private static double percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index));
    }

    /** GET /devices/{id} in a loop, bounded by stop() and a request budget. */
    private static final class Lookups {

        private static final int MAX_REQUESTS = 200_000;

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

        Lookups(int port) {
            this.port = port;
        }

        void run() {
            for (int i = 0; i < MAX_REQUESTS && running.get(); i++) {
                URI uri = URI.create("http://127.0.0.1:" + port + "/devices/" + id(ThreadLocalRandom.current().nextInt(DEVICES)));
                long start = System.nanoTime();
                try {
                    int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    latencies.add((System.nanoTime() - start) / 1_000);
                    if (status != 200 && status != 404) {
                        failures.add(uri + " -> " + status);
                    }
                } catch (Exception e) {
                    failures.add(uri + " -> " + e);
                }
            }
        }

        void stop() {
            running.set(false);
        }

        List<Long> latenciesMicros() {
            return new ArrayList<>(latencies);
        }

        List<String> failures() {
            return new ArrayList<>(failures);
        }
    }
}
