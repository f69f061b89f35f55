package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.PrometheusText;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real instance after real traffic, and its log: lifecycle lines only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DEVICES = 40;
    private static final int SHORT_LIVED = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final String prefix = "metered-" + UUID.randomUUID() + "-";
    private PrintStream originalErr;
    private KafkaBroker broker;
    private App app;

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        // slf4j-simple writes to whatever System.err is at the time, so the detector's log lands here too.
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, log), true, StandardCharsets.UTF_8));
        broker = KafkaBroker.start();
        app = DetectorApps.start(broker, "metrics-it-" + UUID.randomUUID(), stateDir, Map.of(Setting.DEFAULT_TIMEOUT, "10m"));
        await().atMost(WAIT).until(app::ready);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
                TopicTail statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < DEVICES; i++) {
                    // a few devices ask for a 1 s timeout, and go offline after their last heartbeat
                    send(producer, prefix + i, i < SHORT_LIVED ? "{\"timeoutMs\":1000}" : "{}");
                }
            }
            send(producer, prefix + "bad", "not json");
            producer.flush();
            await().atMost(WAIT).until(() -> statuses.matching(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix)).size()
                    == DEVICES + SHORT_LIVED);
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
            if (broker != null) {
                broker.close();
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    @Test
    @DisplayName("the detector's own metrics: heartbeats, dead letters, transitions by status, checks, clock lag per partition")
    void exportsTheDetectorsOwnMetrics() {
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText metrics = PrometheusText.scrape(app.url().toString());
            assertThat(metrics.sum("kafka_offline_detector_heartbeats_total")).isEqualTo(3 * DEVICES);
            assertThat(metrics.sum("kafka_offline_detector_dead_lettered_records_total")).isEqualTo(1);
            assertThat(metrics.sum("kafka_offline_detector_transitions_total", "status", "ONLINE")).isEqualTo(DEVICES);
            assertThat(metrics.sum("kafka_offline_detector_transitions_total", "status", "OFFLINE")).isEqualTo(SHORT_LIVED);
            assertThat(metrics.sum("kafka_offline_detector_checks_total")).isPositive();
            assertThat(metrics.values("kafka_offline_detector_check_due_devices_max")).hasSize(12);
            assertThat(metrics.values("kafka_offline_detector_check_duration_seconds_avg")).hasSize(12);
            assertThat(metrics.values("kafka_offline_detector_check_duration_seconds_max")).hasSize(12);
            // caught up: the verdicts are never more than about one check interval old
            assertThat(metrics.labelValues("kafka_offline_detector_clock_lag_seconds", "partition")).hasSize(12);
            assertThat(metrics.values("kafka_offline_detector_clock_lag_seconds")).allSatisfy(lag -> assertThat(lag).isBetween(0.0, 5.0));
            // the deprecated names in ms, kept for one release
            assertThat(metrics.values("kafka_offline_detector_check_duration_ms_avg")).hasSize(12);
            assertThat(metrics.labelValues("kafka_offline_detector_clock_lag_ms", "partition")).hasSize(12);
            assertThat(metrics.values("kafka_offline_detector_clock_lag_ms")).allSatisfy(lag -> assertThat(lag).isBetween(0.0, 5_000.0));
        });
    }

    @Test
    @DisplayName("fleet gauges: devices by status and device type of this instance's partitions, none by group unless asked for")
    void exportsTheDevicesByStatusAndDeviceType() {
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText metrics = PrometheusText.scrape(app.url().toString());
            // these devices name no device type: they count under ""
            assertThat(metrics.sum("offline_detector_devices", "status", "ONLINE")).isEqualTo(DEVICES - SHORT_LIVED);
            assertThat(metrics.sum("offline_detector_devices", "status", "OFFLINE")).isEqualTo(SHORT_LIVED);
            assertThat(metrics.labelValues("offline_detector_devices", "device_type")).containsExactly("");
            assertThat(metrics.values("offline_detector_group_devices")).isEmpty();
        });
    }

    @Test
    void exportsKafkaStreamsAndJvmMetrics() throws Exception {
        PrometheusText metrics = PrometheusText.scrape(app.url().toString());

        assertThat(metrics.values("kafka_stream_thread_process_total")).isNotEmpty();
        assertThat(metrics.values("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(metrics.values("offline_detector_dashboard_clients")).containsExactly(0.0);
    }

    @Test
    void timesQueriesByRoute() throws Exception {
        get("/devices/" + prefix + "0");
        get("/devices/" + prefix + "0");
        get("/stats");

        PrometheusText metrics = PrometheusText.scrape(app.url().toString());
        assertThat(metrics.sum("offline_detector_http_requests_seconds_count", "route", "/devices/{id}")).isGreaterThanOrEqualTo(2);
        assertThat(metrics.sum("offline_detector_http_requests_seconds_bucket", "le", "0.005")).isPositive();
        assertThat(metrics.labelValues("offline_detector_http_requests_seconds_count", "route")).contains("/stats");
    }

    @Test
    @DisplayName("the log has lifecycle lines, one per change, and nothing per record")
    void logsLifecycleChangesAndNothingPerRecord() {
        List<String> detectorLines = log.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" io.offlinedetector.")).toList();

        assertThat(detectorLines).anyMatch(line -> line.contains("INFO io.offlinedetector.App - Stream processing REBALANCING -> RUNNING"));
        assertThat(detectorLines).anyMatch(line -> line.contains("Offline Detector instance") && line.contains("started"));
        assertThat(detectorLines).noneMatch(line -> line.contains(prefix));
        assertThat(detectorLines).as("%s", detectorLines).hasSizeLessThan(20);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String device, String value) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, System.currentTimeMillis(),
                device.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes to both: the test's own output stays visible while it is captured. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
