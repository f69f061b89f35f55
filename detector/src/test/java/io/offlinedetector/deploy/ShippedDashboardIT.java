package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.DetectorProcess;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.PrometheusText;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * Every metric the shipped Grafana dashboard and Prometheus rules read (deploy/) is one that a
 * running detector exports: a renamed metric would otherwise leave an empty panel, or an alert that
 * can never fire, and nothing would tell. Checked against {@code GET /metrics} of a real instance
 * on a real broker, with {@code metrics.groups=true} and devices that name a group and a type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedDashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int DEVICES = 12;
    private static final int SHORT_LIVED = 3;
    /**
     * Kafka Streams' metrics, the detector's task sensors among them, reach {@code /metrics} when
     * Micrometer's binder next looks (every 5 s), and a task that moves in a rebalance registers
     * its sensors again: several looks.
     */
    private static final Duration BINDING = Duration.ofSeconds(30);

    private final String prefix = "shipped-" + UUID.randomUUID() + "-";
    private KafkaBroker broker;
    private App app;

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        broker = KafkaBroker.start();
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.METRICS_GROUPS, "true");
        settings.put(Setting.DEFAULT_TIMEOUT, "10m");
        // The offline_detector_alertmanager_* metrics exist per configured Alertmanager: one that
        // nobody answers at will do, its posts fail and are counted.
        settings.put(Setting.ALERTMANAGER_URL, "http://127.0.0.1:" + DetectorProcess.freePort());
        app = DetectorApps.start(broker, "shipped-dashboard-it-" + UUID.randomUUID(), stateDir, settings);
        await().atMost(WAIT).until(app::ready);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
                TopicTail statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC)) {
            for (int i = 0; i < DEVICES; i++) {
                // a few ask for a 1 s timeout, so that there are OFFLINE devices and transitions too
                String timeout = i < SHORT_LIVED ? ",\"timeoutMs\":1000" : "";
                send(producer, prefix + i, "{\"deviceType\":\"" + (i % 2 == 0 ? "meter" : "valve") + "\",\"group\":\"site-" + (i % 3) + "\""
                        + timeout + "}");
            }
            send(producer, prefix + "bad", "not json");
            producer.flush();
            await().atMost(WAIT).until(() -> statuses.matching(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix)).size()
                    == DEVICES + SHORT_LIVED);
        }
        // The latency histogram has series once a route has answered.
        assertThat(HttpJson.get(app.url().toString(), "/stats").status()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(PrometheusText.scrape(app.url().toString()).sum("offline_detector_group_devices")).isEqualTo(DEVICES));
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("every metric a query of the Grafana dashboard reads is on /metrics")
    void everyMetricOfTheDashboardIsExported() throws Exception {
        Set<String> read = ShippedFiles.metricsTheDashboardReads();
        assertThat(read).hasSizeGreaterThan(10);

        await().atMost(BINDING).untilAsserted(() ->
                assertThat(notExported(read)).as("metrics the dashboard reads that /metrics lacks").isEmpty());
    }

    @Test
    @DisplayName("every metric the Prometheus rules read is on /metrics, but the series they record themselves")
    void everyMetricOfTheRulesIsExported() throws Exception {
        Set<String> read = ShippedFiles.metricsTheRulesRead();
        assertThat(read).hasSizeGreaterThan(5);

        await().atMost(BINDING).untilAsserted(() ->
                assertThat(notExported(read)).as("metrics the rules read that /metrics lacks").isEmpty());
    }

    /**
     * The names that no sample of {@code /metrics} has. Sample names are what PromQL selects, so a
     * histogram is there as its {@code _bucket}, {@code _count} and {@code _sum} series.
     */
    private Set<String> notExported(Set<String> names) throws Exception {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(PrometheusText.scrape(app.url().toString()).names());
        return missing;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String device, String value) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, System.currentTimeMillis(),
                device.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
    }
}
