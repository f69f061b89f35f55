package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.HeartbeatSender;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.PrometheusText;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingestion outage is not a fleet outage: when the whole input stops at once after steady
 * traffic, OFFLINE decisions are held and the stall is announced; a small fleet that stops is
 * still reported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionStallIT {

    private static final long TIMEOUT_MS = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<Setting, String> GUARD = Map.of(Setting.STALL_MIN_RATE, "50", Setting.STALL_AFTER, "2s");
    /** The guard calls traffic steady only after seeing it for its whole rate window (10 s). */
    private static final long STEADY_TRAFFIC_MS = 12_000;

    @TempDir
    static Path tempDir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaBroker broker;
    private TopicTail statuses;
    private TopicTail detectorEvents;

    @BeforeAll
    void startBroker() throws Exception {
        broker = KafkaBroker.start();
        DetectorApps.start(broker, "topics-" + UUID.randomUUID(), tempDir.resolve("init"), Map.of()).close();
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
        detectorEvents = new TopicTail(broker.bootstrapServers(), Names.EVENTS_TOPIC);
    }

    @AfterAll
    void stopBroker() throws Exception {
        statuses.close();
        detectorEvents.close();
        broker.close();
    }

    @Test
    @DisplayName("the whole input stops after steady traffic: no OFFLINE while stalled, stall announced, the truly silent reported after")
    void holdsOfflineDecisionsWhileTheWholeInputIsStalled() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> returning = devices("returning-" + run, 190);
        List<String> gone = devices("gone-" + run, 10);
        List<String> fleet = new ArrayList<>(returning);
        fleet.addAll(gone);
        String applicationId = "stall-" + run;
        try (HeartbeatSender sender = new HeartbeatSender(broker.bootstrapServers(), fleet, Duration.ofSeconds(1), Duration.ofSeconds(120));
                App detector = DetectorApps.start(broker, applicationId, tempDir.resolve(applicationId), GUARD)) {
            long trafficStart = System.currentTimeMillis();
            awaitEvents(fleet, 1);
            long testStart = System.currentTimeMillis();
            await().atMost(WAIT).until(() -> System.currentTimeMillis() >= trafficStart + STEADY_TRAFFIC_MS);

            assertThat(ingestionStalled(detector)).as("offline_detector_ingestion_stalled, steady traffic").isZero();

            sender.stop(fleet);
            long stoppedAt = System.currentTimeMillis();
            JsonNode stalled = awaitDetectorEvent("INGESTION_STALLED", testStart);
            assertThat(ingestionStalled(detector)).as("offline_detector_ingestion_stalled, stall declared").isEqualTo(1);
            // The outage lasts twice the timeout: every device's deadline passes while it lasts.
            await().atMost(WAIT).until(() -> System.currentTimeMillis() >= stoppedAt + 2 * TIMEOUT_MS);
            assertThat(offlineEvents(fleet)).as("OFFLINE events during the stall").isEmpty();

            sender.resume(returning);
            JsonNode resumed = awaitDetectorEvent("INGESTION_RESUMED", testStart);
            long resumedAt = Instant.parse(resumed.get("resumedAt").asText()).toEpochMilli();
            assertThat(ingestionStalled(detector)).as("offline_detector_ingestion_stalled, input resumed").isZero();
            assertThat(resumed.get("since").asText()).isEqualTo(stalled.get("since").asText());

            awaitEvents(gone, 2);
            for (String device : gone) {
                assertThat(eventsOf(device)).extracting(StatusChange::sequence).containsExactly(1L, 2L);
                StatusChange offline = eventsOf(device).get(1);
                assertThat(offline.changedAt()).isEqualTo(sender.lastSent(device) + TIMEOUT_MS);
                assertThat(offline.detectedAt()).as("held until a full timeout after the input resumed")
                        .isGreaterThanOrEqualTo(resumedAt + TIMEOUT_MS);
            }
            assertThat(returning).allSatisfy(device -> assertThat(eventsOf(device)).extracting(StatusChange::status)
                    .containsExactly(Status.ONLINE));
            assertThat(detectorEventsSince(testStart)).extracting(e -> e.get("event").asText())
                    .containsExactly("INGESTION_STALLED", "INGESTION_RESUMED");
        }
    }

    @Test
    @DisplayName("a handful of devices that all stop are still reported: the guard never engages for small fleets")
    void smallFleetThatStopsIsReported() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> fleet = devices("small-" + run, 3);
        String applicationId = "small-" + run;
        try (HeartbeatSender sender = new HeartbeatSender(broker.bootstrapServers(), fleet, Duration.ofSeconds(1), Duration.ofSeconds(60));
                App detector = DetectorApps.start(broker, applicationId, tempDir.resolve(applicationId), GUARD)) {
            awaitEvents(fleet, 1);
            long testStart = System.currentTimeMillis();
            sender.stop(fleet);

            awaitEvents(fleet, 2);
            for (String device : fleet) {
                StatusChange offline = eventsOf(device).get(1);
                assertThat(offline.status()).isEqualTo(Status.OFFLINE);
                assertThat(offline.changedAt()).isEqualTo(sender.lastSent(device) + TIMEOUT_MS);
                assertThat(offline.detectedAt() - offline.changedAt()).as("detection delay, ms").isLessThan(2_500);
            }
            assertThat(detectorEventsSince(testStart)).isEmpty();
            assertThat(ingestionStalled(detector)).as("offline_detector_ingestion_stalled").isZero();
        }
    }

    /** The instance's {@code offline_detector_ingestion_stalled} gauge, as Prometheus would scrape it. */
    private double ingestionStalled(App detector) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(detector.url() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        List<Double> values = PrometheusText.parse(metrics.body()).values("offline_detector_ingestion_stalled");
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private JsonNode awaitDetectorEvent(String event, long notBefore) {
        await().atMost(WAIT).until(() -> detectorEventsSince(notBefore).stream().anyMatch(e -> e.get("event").asText().equals(event)));
        return detectorEventsSince(notBefore).stream().filter(e -> e.get("event").asText().equals(event)).findFirst().orElseThrow();
    }

    private List<JsonNode> detectorEventsSince(long notBefore) {
        return detectorEvents.records().stream()
                .map(r -> {
                    try {
                        return json.readTree(r.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .filter(e -> Instant.parse(e.get("detectedAt").asText()).toEpochMilli() >= notBefore)
                .toList();
    }

    private void awaitEvents(List<String> devices, long sequence) {
        await().atMost(WAIT).until(() -> devices.stream().allMatch(d -> eventsOf(d).stream().anyMatch(c -> c.sequence() == sequence)));
    }

    private List<StatusChange> offlineEvents(List<String> devices) {
        return devices.stream().flatMap(d -> eventsOf(d).stream()).filter(c -> c.status() == Status.OFFLINE).toList();
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
}
