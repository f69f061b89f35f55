package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.HeartbeatSender;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector's clock (docs/design.md) on a real broker: heartbeats waiting unread in the topic never
 * turn into OFFLINE events, and devices that really went silent are reported once, at
 * {@code lastSeen + timeout}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetectorClockIT {

    private static final long TIMEOUT_MS = 4_000;
    /** Longer than the time it takes to append the backlog test's history on a busy machine. */
    private static final long BACKLOG_TIMEOUT_MS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PARTITIONS = 12;

    @TempDir
    static Path tempDir;

    private KafkaBroker broker;
    private TopicTail statuses;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void startBroker() throws Exception {
        broker = KafkaBroker.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        // Creates the topics, so the tail can subscribe before any test's detector starts.
        DetectorApps.start(broker, "topics-" + UUID.randomUUID(), tempDir.resolve("init"), Map.of()).close();
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
    }

    @AfterAll
    void stopBroker() throws Exception {
        statuses.close();
        producer.close();
        broker.close();
    }

    @ParameterizedTest(name = "restarted with {0} state directory")
    @ValueSource(strings = {"its old", "a fresh"})
    @DisplayName("after downtime of 4x the timeout: no OFFLINE for devices that kept beating, one for each that stopped")
    void noFalseOfflinesAfterDowntime(String stateDirectory) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> steady = devices("steady-" + run, 500);
        List<String> stopping = devices("stopping-" + run, 6);
        String applicationId = "clock-downtime-" + run;
        Path stateDir = Files.createDirectories(tempDir.resolve(applicationId));

        try (HeartbeatSender sender = new HeartbeatSender(broker.bootstrapServers(), concat(steady, stopping),
                Duration.ofSeconds(1), Duration.ofSeconds(120))) {
            App detector = DetectorApps.start(broker, applicationId, stateDir, Map.of());
            try {
                awaitEvents(concat(steady, stopping), 1);
            } finally {
                detector.close();
            }
            long downSince = System.currentTimeMillis();
            sender.stop(stopping);
            await().atMost(WAIT).until(() -> sender.lastSent(steady.get(0)) >= downSince + 4 * TIMEOUT_MS);

            Path restartDir = stateDirectory.equals("a fresh") ? Files.createDirectories(tempDir.resolve(applicationId + "-fresh")) : stateDir;
            // Frequent checks, so that some run while the backlog is still being read.
            try (App restarted = DetectorApps.start(broker, applicationId, restartDir, Map.of(Setting.CHECK_INTERVAL, "100ms"))) {
                awaitEvents(stopping, 2);
                awaitJudgedThroughNow(applicationId);
            }
            for (String device : stopping) {
                assertThat(eventsOf(device)).extracting(StatusChange::sequence).containsExactly(1L, 2L);
                StatusChange offline = eventsOf(device).get(1);
                assertThat(offline.status()).isEqualTo(Status.OFFLINE);
                assertThat(offline.changedAt()).isEqualTo(sender.lastSent(device) + TIMEOUT_MS);
            }
            for (String device : steady) {
                assertThat(eventsOf(device)).as("events of %s, which never stopped beating: %s", device, eventsOf(device))
                        .extracting(StatusChange::status).containsExactly(Status.ONLINE);
            }
        }
    }

    /**
     * Runs first: its history is stamped up to a minute in the past, and a real backlog's records are
     * older than anything appended after them. Other tests' newer records ahead of it in the shared
     * topic would make it a backlog no producer could write.
     */
    @Test
    @Order(1)
    @DisplayName("a large backlog read from the past: no OFFLINE for devices that kept beating, one for each that stopped")
    void noFalseOfflinesWhileReadingABacklog() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> steady = devices("backlog-steady-" + run, 300);
        List<String> stopping = devices("backlog-stopping-" + run, 10);
        // A minute of history, appended in time order as producers would have appended it.
        long now = System.currentTimeMillis();
        long start = now - 60_000;
        for (long t = start; t <= now; t += 1_000) {
            for (String device : steady) {
                send(device, t);
            }
            if (t <= start + 20_000) {
                for (String device : stopping) {
                    send(device, t);
                }
            }
        }
        producer.flush();
        long stoppedAt = start + 20_000;
        // The devices that keep beating must not have a real gap between history and live beats.
        assertThat(System.currentTimeMillis() - now).as("time to append the history, ms").isLessThan(BACKLOG_TIMEOUT_MS / 2);
        try (HeartbeatSender live = new HeartbeatSender(broker.bootstrapServers(), steady, Duration.ofSeconds(1), Duration.ofSeconds(120))) {
            String applicationId = "clock-backlog-" + run;
            try (App detector = DetectorApps.start(broker, applicationId, tempDir.resolve(applicationId),
                    Map.of(Setting.DEFAULT_TIMEOUT, BACKLOG_TIMEOUT_MS + "ms"))) {
                awaitEvents(stopping, 2);
                awaitJudgedThroughNow(applicationId);
            }
            for (String device : stopping) {
                assertThat(eventsOf(device)).extracting(StatusChange::sequence).containsExactly(1L, 2L);
                assertThat(eventsOf(device).get(1).changedAt()).isEqualTo(stoppedAt + BACKLOG_TIMEOUT_MS);
            }
            for (String device : steady) {
                assertThat(eventsOf(device)).as("events of %s, which never stopped beating: %s", device, eventsOf(device))
                        .extracting(StatusChange::status).containsExactly(Status.ONLINE);
            }
        }
    }

    @Test
    @DisplayName("a device on an otherwise idle partition goes OFFLINE on time")
    void idlePartitionStillGoesOfflineOnTime() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int idlePartition = 7;
        List<String> busy = devices("busy-" + run, 40).stream().filter(d -> partitionOf(d) != idlePartition).toList();
        String applicationId = "clock-idle-" + run;
        try (HeartbeatSender sender = new HeartbeatSender(broker.bootstrapServers(), busy, Duration.ofSeconds(1), Duration.ofSeconds(60));
                App detector = DetectorApps.start(broker, applicationId, tempDir.resolve(applicationId), Map.of())) {
            awaitEvents(busy, 1);
            // Owned by the idle partition: a device owned elsewhere would be handed on to its owner.
            String lonely = IntStream.range(0, 1_000).mapToObj(i -> "lonely-" + run + "-" + i)
                    .filter(device -> partitionOf(device) == idlePartition).findFirst().orElseThrow();
            long sentAt = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, idlePartition, sentAt, lonely.getBytes(StandardCharsets.UTF_8), (byte[]) null)).get();

            StatusChange offline = awaitEvent(lonely, 2);
            assertThat(offline.changedAt()).isEqualTo(sentAt + TIMEOUT_MS);
            assertThat(offline.detectedAt() - offline.changedAt()).as("detection delay in ms").isBetween(0L, 2_000L);
            assertThat(busy).allSatisfy(device -> assertThat(eventsOf(device)).hasSize(1));
        }
    }

    /**
     * Waits until the detector has judged every deadline up to now: a device that beats once now
     * goes offline only after the clock passed all earlier deadlines.
     */
    private void awaitJudgedThroughNow(String applicationId) throws Exception {
        String marker = "marker-" + applicationId;
        send(marker, System.currentTimeMillis());
        producer.flush();
        awaitEvent(marker, 2);
    }

    private void send(String device, long timestamp) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, (Integer) null, timestamp, device.getBytes(StandardCharsets.UTF_8), (byte[]) null));
    }

    private void awaitEvents(List<String> devices, long sequence) {
        await().atMost(WAIT).until(() -> devices.stream().allMatch(d -> eventsOf(d).stream().anyMatch(c -> c.sequence() == sequence)));
    }

    private StatusChange awaitEvent(String device, long sequence) {
        awaitEvents(List.of(device), sequence);
        return eventsOf(device).stream().filter(c -> c.sequence() == sequence).findFirst().orElseThrow();
    }

    private List<StatusChange> eventsOf(String device) {
        List<StatusChange> events = new ArrayList<>();
        statuses.records().forEach(r -> {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(device)) {
                events.add(StatusChangeJson.read(r.value()));
            }
        });
        return events;
    }

    private static List<String> devices(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static int partitionOf(String device) {
        return Utils.toPositive(Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
