package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.App;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.DeadLetterHeaders;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: the real topology and HTTP API, heartbeats from a plain producer,
 * status events read back read_committed, as a user with any Kafka client would see them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectorIT {

    private static final long TIMEOUT_MS = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private KafkaBroker broker;
    private App app;
    private KafkaProducer<byte[], byte[]> producer;
    private TopicTail statuses;
    private TopicTail deadLetters;

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        broker = KafkaBroker.start();
        app = DetectorApps.start(broker, "detector-it-" + UUID.randomUUID(), stateDir, Map.of());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
        deadLetters = new TopicTail(broker.bootstrapServers(), Names.DLQ_TOPIC);
        await().atMost(WAIT).until(app::ready);
    }

    @AfterAll
    void stop() throws Exception {
        if (statuses != null) {
            statuses.close();
            deadLetters.close();
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void reportsOnlineThenExactlyOneOfflineThenResumed() throws Exception {
        String device = "sensor-" + UUID.randomUUID();
        long sentAt = System.currentTimeMillis();
        send(device, null, sentAt);

        StatusChange online = awaitEvent(device, 1);
        assertThat(online.status()).isEqualTo(Status.ONLINE);
        assertThat(online.previousStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(online.reason()).isEqualTo(Reason.FIRST_HEARTBEAT);
        assertThat(online.changedAt()).isEqualTo(sentAt);

        StatusChange offline = awaitEvent(device, 2);
        assertThat(offline.status()).isEqualTo(Status.OFFLINE);
        assertThat(offline.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(offline.changedAt()).isEqualTo(sentAt + TIMEOUT_MS);
        assertThat(offline.detectedAt()).isGreaterThanOrEqualTo(offline.changedAt());

        JsonNode offlineView = getJson("/devices/" + device, 200);
        assertThat(offlineView.get("status").asText()).isEqualTo("OFFLINE");
        assertThat(getJson("/devices?status=OFFLINE&limit=1000", 200).get("devices").findValuesAsText("deviceId")).contains(device);

        long resumedAt = System.currentTimeMillis();
        send(device, "{}", resumedAt);
        StatusChange resumed = awaitEvent(device, 3);
        assertThat(resumed.status()).isEqualTo(Status.ONLINE);
        assertThat(resumed.previousStatus()).isEqualTo(Status.OFFLINE);
        assertThat(resumed.reason()).isEqualTo(Reason.HEARTBEAT_RESUMED);
        assertThat(resumed.changedAt()).isEqualTo(resumedAt);

        JsonNode view = getJson("/devices/" + device, 200);
        assertThat(view.get("status").asText()).isEqualTo("ONLINE");
        assertThat(getJson("/devices?status=ONLINE&limit=1000", 200).get("devices").findValuesAsText("deviceId")).contains(device);
        assertThat(getJson("/devices?status=OFFLINE&limit=1000", 200).get("devices").findValuesAsText("deviceId")).doesNotContain(device);
        assertThat(view.get("sequence").asLong()).isEqualTo(3);
        assertThat(view.get("lastSeen").asText()).isEqualTo(java.time.Instant.ofEpochMilli(resumedAt).toString());

        // It goes silent again: one more OFFLINE, and never a repeated sequence number.
        awaitEvent(device, 4);
        assertThat(eventsOf(device)).extracting(StatusChange::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void invalidRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        String bad = "bad-" + UUID.randomUUID();
        send(bad, "not json", System.currentTimeMillis());
        send(bad, "{\"timeoutMs\":\"soon\"}", System.currentTimeMillis());
        String good = "good-" + UUID.randomUUID();
        send(good, "", System.currentTimeMillis());

        awaitEvent(good, 1);
        await().atMost(WAIT).until(() -> deadLettersOf(bad).size() == 2);
        List<ConsumerRecord<byte[], byte[]>> dead = deadLettersOf(bad);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_CODE)).isEqualTo("INVALID_JSON");
        assertThat(header(dead.get(1), DeadLetterHeaders.ERROR_CODE)).isEqualTo("INVALID_FIELD");
        assertThat(header(dead.get(1), DeadLetterHeaders.ERROR_MESSAGE)).contains("timeoutMs");
        assertThat(header(dead.get(1), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        getJson("/devices/" + bad, 404);
    }

    @Test
    void perDeviceTimeoutFromTheHeartbeatIsHonoured() throws Exception {
        String device = "keepalive-" + UUID.randomUUID();
        long sentAt = System.currentTimeMillis();
        send(device, "{\"timeoutMs\":2000,\"deviceType\":\"thermostat\",\"battery\":97}", sentAt);
        StatusChange offline = awaitEvent(device, 2);
        assertThat(offline.changedAt()).isEqualTo(sentAt + 2_000);
        assertThat(offline.timeoutMs()).isEqualTo(2_000);
        assertThat(offline.deviceType()).isEqualTo("thermostat");
    }

    @Test
    void findsDevicesThatAProducerPutInAnotherPartitionThanJavasPartitionerWould() throws Exception {
        String device = "librdkafka-" + UUID.randomUUID();
        int javaPartition = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % 12;
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, (javaPartition + 5) % 12, System.currentTimeMillis(),
                device.getBytes(StandardCharsets.UTF_8), new byte[0])).get();
        awaitEvent(device, 1);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(getJson("/devices/" + device, 200).get("deviceId").asText()).isEqualTo(device));
    }

    @Test
    void answersHttpErrorsAsJson() throws Exception {
        assertThat(getJson("/devices/never-seen-" + UUID.randomUUID(), 404).get("error").asText()).contains("unknown device");
        assertThat(getJson("/devices/" + "x".repeat(201), 400).get("error").asText()).contains("longer than 200 bytes");
        assertThat(getJson("/devices?status=SLEEPING", 400).has("error")).isTrue();
        assertThat(getJson("/health", 200).get("status").asText()).isEqualTo("UP");
        assertThat(getJson("/ready", 200).get("status").asText()).isEqualTo("READY");
        JsonNode instances = getJson("/instances", 200).get("instances");
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).get("activePartitions")).hasSize(12);
    }

    @Test
    void statsAndOfflineListAgreeWithTheEvents() throws Exception {
        String device = "counted-" + UUID.randomUUID();
        send(device, null, System.currentTimeMillis());
        awaitEvent(device, 2);
        // Wait until every device seen so far has settled into a status no timer can still change.
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, StatusChange> latest = latestByDevice();
            JsonNode stats = getJson("/stats", 200);
            long online = latest.values().stream().filter(c -> c.status() == Status.ONLINE).count();
            long offline = latest.values().stream().filter(c -> c.status() == Status.OFFLINE).count();
            assertThat(stats.get("total").asLong()).isEqualTo(latest.size());
            assertThat(stats.get("online").asLong()).isEqualTo(online);
            assertThat(stats.get("offline").asLong()).isEqualTo(offline);
            assertThat(stats.has("partial")).isFalse();
            List<String> offlineIds = getJson("/devices?status=OFFLINE&limit=1000", 200).get("devices").findValuesAsText("deviceId");
            assertThat(offlineIds).containsExactlyInAnyOrderElementsOf(latest.values().stream()
                    .filter(c -> c.status() == Status.OFFLINE).map(StatusChange::deviceId).toList());
            List<String> onlineIds = getJson("/devices?status=ONLINE&limit=1000", 200).get("devices").findValuesAsText("deviceId");
            assertThat(onlineIds).containsExactlyInAnyOrderElementsOf(latest.values().stream()
                    .filter(c -> c.status() == Status.ONLINE).map(StatusChange::deviceId).toList());
        });
    }

    private void send(String device, String value, long timestamp) throws Exception {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, timestamp,
                device.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
    }

    private StatusChange awaitEvent(String device, long sequence) {
        await().atMost(WAIT).until(() -> eventsOf(device).stream().anyMatch(c -> c.sequence() == sequence));
        return eventsOf(device).stream().filter(c -> c.sequence() == sequence).findFirst().orElseThrow();
    }

    private List<StatusChange> eventsOf(String device) {
        return statuses.records().stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(device))
                .map(r -> {
                    StatusChange change = StatusChangeJson.read(r.value());
                    assertThat(r.timestamp()).isEqualTo(change.changedAt());
                    return change;
                })
                .toList();
    }

    private Map<String, StatusChange> latestByDevice() {
        Map<String, StatusChange> latest = new java.util.HashMap<>();
        statuses.records().forEach(r -> {
            StatusChange change = StatusChangeJson.read(r.value());
            latest.merge(change.deviceId(), change, (a, b) -> a.sequence() >= b.sequence() ? a : b);
        });
        return latest;
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String device) {
        return deadLetters.matching(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(device));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private JsonNode getJson(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of GET %s: %s", path, response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return json.readTree(response.body());
    }
}
