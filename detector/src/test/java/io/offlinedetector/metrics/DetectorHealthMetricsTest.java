package io.offlinedetector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.http.PartialAnswers;
import io.offlinedetector.testing.PrometheusText;
import io.offlinedetector.topology.InputProgress.Stall;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The metrics the shipped alerting rules (deploy/prometheus) watch besides the task sensors: the
 * ingestion-stall gauge and the partial answers by route, as {@code GET /metrics} writes them.
 */
class DetectorHealthMetricsTest {

    private static final String STALLED = "offline_detector_ingestion_stalled";
    private static final String PARTIAL = "offline_detector_partial_answers_total";

    private final InstanceMeters meters = new InstanceMeters();

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    @DisplayName("ingestion stalled is 1 only while a declared stall lasts: 0 before, during a hiccup, and once the input resumed")
    void ingestionStalledIsOneWhileADeclaredStallLasts() {
        AtomicReference<Stall> stall = new AtomicReference<>(Stall.NONE);
        meters.ingestionStall(stall::get);
        assertThat(scrape().values(STALLED)).containsExactly(0.0);

        stall.set(new Stall(1_000, -1, false));
        assertThat(scrape().values(STALLED)).as("quiet, not yet declared").containsExactly(0.0);

        stall.set(new Stall(1_000, -1, true));
        assertThat(scrape().values(STALLED)).as("declared").containsExactly(1.0);

        stall.set(new Stall(1_000, 9_000, true));
        assertThat(scrape().values(STALLED)).as("resumed").containsExactly(0.0);
    }

    @Test
    @DisplayName("the stall gauge keeps reading after a garbage collection, though only the registry holds what it reads")
    void ingestionStalledSurvivesGarbageCollection() {
        Stall declared = new Stall(1_000, -1, true);
        meters.ingestionStall(() -> declared);

        System.gc();

        assertThat(scrape().values(STALLED)).containsExactly(1.0);
    }

    @Test
    @DisplayName("partial answers: every fan-out route's series is there at 0 before the first one")
    void everyRouteStartsAtZero() {
        meters.partialAnswers(PartialAnswers.ROUTES);

        assertThat(partialByRoute()).containsOnly(
                Map.entry("/devices", 0.0),
                Map.entry("/stats", 0.0),
                Map.entry("/stats?by=group", 0.0),
                Map.entry("/stats?by=deviceType", 0.0));
    }

    @Test
    @DisplayName("partial answers count by route")
    void partialAnswersCountByRoute() {
        meters.partialAnswers(PartialAnswers.ROUTES);

        meters.recordPartialAnswer("/stats");
        meters.recordPartialAnswer("/stats");
        meters.recordPartialAnswer("/stats?by=group");

        assertThat(partialByRoute()).contains(
                Map.entry("/devices", 0.0),
                Map.entry("/stats", 2.0),
                Map.entry("/stats?by=group", 1.0),
                Map.entry("/stats?by=deviceType", 0.0));
    }

    @Test
    void theRoutesAreTheFanOutRoutesOfTheApi() {
        assertThat(PartialAnswers.ROUTES).containsExactly("/devices", "/stats", "/stats?by=group", "/stats?by=deviceType");
    }

    private Map<String, Double> partialByRoute() {
        List<PrometheusText.Sample> samples = scrape().samples(PARTIAL);
        return samples.stream().collect(Collectors.toMap(s -> s.labels().get("route"), PrometheusText.Sample::value));
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(meters.scrape());
    }
}
