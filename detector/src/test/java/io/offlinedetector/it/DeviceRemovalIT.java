package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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

/** DELETE /devices/{id} and offline retention remove devices through Kafka, with a tombstone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceRemovalIT {

    private static final String TOKEN = "test-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaBroker broker;
    private KafkaProducer<byte[], byte[]> producer;
    private TopicTail statuses;

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBroker.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        DetectorApps.start(broker, "topics-" + UUID.randomUUID(), tempDir.resolve("init"), Map.of()).close();
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
    }

    @AfterAll
    void stop() throws Exception {
        statuses.close();
        producer.close();
        broker.close();
    }

    @Test
    void deleteWithTheAdminTokenRemovesTheDeviceEverywhere() throws Exception {
        String device = "doomed-" + UUID.randomUUID();
        try (App app = DetectorApps.start(broker, "removal-" + UUID.randomUUID(), tempDir.resolve(UUID.randomUUID().toString()),
                Map.of(Setting.ADMIN_TOKEN, TOKEN, Setting.DEFAULT_TIMEOUT, "10m"))) {
            await().atMost(WAIT).until(app::ready);
            beat(device);
            await().atMost(WAIT).until(() -> get(app, "/devices/" + device).statusCode() == 200);
            long totalBefore = total(app);

            assertThat(delete(app, device, null).statusCode()).isEqualTo(401);
            assertThat(delete(app, device, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
            assertThat(delete(app, "never-seen-" + UUID.randomUUID(), TOKEN).statusCode()).isEqualTo(404);
            HttpResponse<String> accepted = delete(app, device, TOKEN);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            await().atMost(WAIT).until(() -> statuses.matching(r -> keyIs(r, device) && r.value() == null).size() == 1);
            await().atMost(WAIT).until(() -> get(app, "/devices/" + device).statusCode() == 404);
            assertThat(total(app)).isEqualTo(totalBefore - 1);
        }
    }

    @Test
    void adminEndpointsAreOffWithoutAToken() throws Exception {
        try (App app = DetectorApps.start(broker, "no-admin-" + UUID.randomUUID(), tempDir.resolve(UUID.randomUUID().toString()), Map.of())) {
            HttpResponse<String> response = delete(app, "any-device", TOKEN);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("admin.token");
        }
    }

    @Test
    void devicesOfflineForTheRetentionAreRemoved() throws Exception {
        String device = "retired-" + UUID.randomUUID();
        try (App app = DetectorApps.start(broker, "retention-" + UUID.randomUUID(), tempDir.resolve(UUID.randomUUID().toString()),
                Map.of(Setting.DEFAULT_TIMEOUT, "2s", Setting.OFFLINE_RETENTION, "2s"))) {
            await().atMost(WAIT).until(app::ready);
            beat(device);
            await().atMost(WAIT).until(() -> statuses.matching(r -> keyIs(r, device) && r.value() == null).size() == 1);
            assertThat(statuses.matching(r -> keyIs(r, device))).hasSize(3); // ONLINE, OFFLINE, tombstone
            assertThat(get(app, "/devices/" + device).statusCode()).isEqualTo(404);
        }
    }

    private void beat(String device) throws Exception {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, device.getBytes(StandardCharsets.UTF_8), new byte[0])).get();
    }

    private static boolean keyIs(ConsumerRecord<byte[], byte[]> record, String device) {
        return new String(record.key(), StandardCharsets.UTF_8).equals(device);
    }

    private long total(App app) throws Exception {
        String body = get(app, "/stats").body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("total").asLong();
    }

    private HttpResponse<String> get(App app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(App app, String device, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/devices/" + device))
                .timeout(Duration.ofSeconds(15)).DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
