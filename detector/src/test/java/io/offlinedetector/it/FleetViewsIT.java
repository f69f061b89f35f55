package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.topology.Names;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Fleet views on a real broker with two instances, asked of either: counts by group and by type,
 * worst first, filtered lists that page exactly, and a device's history; counts stay exact when a
 * device changes group and when one is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetViewsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOKEN = "views-" + UUID.randomUUID();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaBroker broker;
    private App first;
    private App second;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        broker = KafkaBroker.start();
        String applicationId = "views-" + run;
        // Long timeouts: the devices that stop are sent with a short one of their own.
        Map<Setting, String> settings = Map.of(Setting.ADMIN_TOKEN, TOKEN, Setting.STREAM_THREADS, "1", Setting.DEFAULT_TIMEOUT, "10m");
        first = DetectorApps.start(broker, applicationId, stateDir.resolve("first"), settings);
        second = DetectorApps.start(broker, applicationId, stateDir.resolve("second"), settings);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        await().atMost(WAIT).until(() -> first.ready() && second.ready());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {producer, first, second, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void countsListsAndHistoryAreExactFromEitherInstance() throws Exception {
        // site-a: 3 online pumps and 2 cameras that go offline; site-b: 4 online cameras; site-c: 1 pump that goes offline.
        Map<String, String[]> fleet = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            fleet.put(id("a-pump", i), new String[] {"site-a", "pump", "600000"});
        }
        for (int i = 0; i < 2; i++) {
            fleet.put(id("a-cam", i), new String[] {"site-a", "camera", "2000"});
        }
        for (int i = 0; i < 4; i++) {
            fleet.put(id("b-cam", i), new String[] {"site-b", "camera", "600000"});
        }
        fleet.put(id("c-pump", 0), new String[] {"site-c", "pump", "2000"});
        fleet.forEach((device, v) -> send(device, "{\"group\":\"" + v[0] + "-" + run + "\",\"deviceType\":\"" + v[1] + "-" + run
                + "\",\"timeoutMs\":" + v[2] + "}"));
        producer.flush();

        String siteA = "site-a-" + run;
        String siteB = "site-b-" + run;
        String siteC = "site-c-" + run;
        for (App app : List.of(first, second)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(groups(app, "group", true)).containsExactly(
                    List.of(siteA, "5", "3", "2"), List.of(siteC, "1", "0", "1"), List.of(siteB, "4", "4", "0")));
            assertThat(groups(app, "deviceType", false)).containsExactly(
                    List.of("camera-" + run, "6", "4", "2"), List.of("pump-" + run, "4", "3", "1"));
        }

        // Filtered lists, a page at a time, from either instance.
        for (App app : List.of(first, second)) {
            assertThat(pagedIds(app, "group=" + siteA + "&status=OFFLINE", 1)).containsExactly(id("a-cam", 0), id("a-cam", 1));
            assertThat(pagedIds(app, "deviceType=camera-" + run, 2))
                    .containsExactly(id("a-cam", 0), id("a-cam", 1), id("b-cam", 0), id("b-cam", 1), id("b-cam", 2), id("b-cam", 3));
            assertThat(pagedIds(app, "deviceType=pump-" + run + "&group=" + siteA, 2)).containsExactly(id("a-pump", 0), id("a-pump", 1), id("a-pump", 2));
        }

        // A device's history and uptime, from either instance.
        for (App app : List.of(first, second)) {
            JsonNode history = HttpJson.get(app.url().toString(), "/devices/" + id("c-pump", 0) + "/history").body();
            assertThat(history.get("transitions").findValuesAsText("status")).containsExactly("OFFLINE", "ONLINE");
            assertThat(history.get("complete").asBoolean()).isTrue();
            assertThat(history.get("uptime").get("24h").asDouble()).isBetween(0.0, 1.0);
        }

        // A pump moves to site-b; a camera of site-b is removed.
        send(id("a-pump", 0), "{\"group\":\"" + siteB + "\",\"deviceType\":\"pump-" + run + "\",\"timeoutMs\":600000}");
        producer.flush();
        HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(second.url() + "/devices/" + id("b-cam", 3)))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(15)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);
        for (App app : List.of(first, second)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(groups(app, "group", true)).containsExactly(
                    List.of(siteA, "4", "2", "2"), List.of(siteC, "1", "0", "1"), List.of(siteB, "4", "4", "0")));
            assertThat(pagedIds(app, "group=" + siteB, 10)).containsExactly(id("a-pump", 0), id("b-cam", 0), id("b-cam", 1), id("b-cam", 2));
        }
    }

    /** Each group's key, total, online and offline, in the answer's order; only this test's keys. */
    private List<List<String>> groups(App app, String by, boolean worstFirst) {
        HttpJson.Reply reply = HttpJson.get(app.url().toString(), "/stats?by=" + by + (worstFirst ? "&sort=offline" : "") + "&limit=1000");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().has("partial")).as("%s", reply.body()).isFalse();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode group : reply.body().get("groups")) {
            if (!group.get("key").isNull() && group.get("key").asText().endsWith(run)) {
                rows.add(List.of(group.get("key").asText(), group.get("total").asText(), group.get("online").asText(), group.get("offline").asText()));
            }
        }
        return rows;
    }

    /** Every id of a filtered list, read {@code limit} at a time with the next cursor. */
    private List<String> pagedIds(App app, String filter, int limit) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            String query = "/devices?" + filter + "&limit=" + limit + (after == null ? "" : "&after=" + after);
            HttpJson.Reply reply = HttpJson.get(app.url().toString(), query);
            assertThat(reply.status()).as("%s: %s", query, reply.body()).isEqualTo(200);
            assertThat(reply.body().get("devices").size()).isLessThanOrEqualTo(limit);
            reply.body().get("devices").forEach(device -> ids.add(device.get("deviceId").asText()));
            after = reply.body().get("next").isNull() ? null : reply.body().get("next").asText();
        } while (after != null);
        return ids;
    }

    private String id(String prefix, int i) {
        return prefix + "-" + run + "-" + i;
    }

    private void send(String device, String value) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, device.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }
}
