package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void percentilesAreNearestRankOfTheSamples() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(samples);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.percentile(100)).isEqualTo(100);
        assertThat(p.percentile(0.5)).isEqualTo(1);
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void aSingleSampleIsEveryPercentileAndNoSampleIsRefused() {
        assertThat(Percentiles.of(new long[] {7}).p99()).isEqualTo(7);
        assertThat(Percentiles.of(new long[] {7}).p50()).isEqualTo(7);
        assertThat(Percentiles.of(new long[] {1, 2, 3}).p50()).isEqualTo(2);
        assertThatThrownBy(() -> Percentiles.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}).percentile(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableHasAHeaderARuleAndOneLinePerRowWithTargetVerdicts() {
        Report report = new Report();
        report.context("machine", "2 cores");
        report.add("a", "detector", 123_456, "heartbeats/s", ">= 200,000", false);
        report.add("b", "check p99", 0.25, "ms", "<= 2 ms", true);
        report.add("b", "scan", 1234.5, "ms");

        String table = report.markdown();

        assertThat(table).startsWith("- machine: 2 cores\n");
        assertThat(table.lines().filter(line -> line.startsWith("|"))).hasSize(5);
        assertThat(table).contains("| 123,456 ", "| NO ", "| 0.250 ", "| yes ", "| 1,235 ");
        assertThat(table.lines().filter(line -> line.startsWith("|")).map(String::length).distinct()).hasSize(1);
    }

    @Test
    void rowsComeInPhaseOrderWhateverTheOrderOfMeasurement() {
        Report report = new Report();
        report.add("e. footprint", "rss", 1, "MiB");
        report.add("a. catch-up", "first", 2, "x");
        report.add("a. catch-up", "second", 3, "x");

        assertThat(report.rows()).extracting(Report.Row::metric).containsExactly("first", "second", "rss");
    }

    @Test
    void aTargetStatedForALargerFleetIsNotJudgedOnASmallerRun() {
        Report report = new Report();
        report.addScaled("e", "rss", 700, "MiB", "<= 1 GiB at 1,000,000", true, 50_000, 1_000_000);
        report.addScaled("e", "rss", 900, "MiB", "<= 1 GiB at 1,000,000", false, 1_000_000, 1_000_000);

        assertThat(report.rows().get(0).met()).isNull();
        assertThat(report.rows().get(0).target()).contains("not judged at 50,000 devices");
        assertThat(report.rows().get(1).met()).isFalse();
    }

    @Test
    void writesMarkdownAndJsonWithTheSameRows(@TempDir Path dir) throws Exception {
        Report report = new Report();
        report.add("a", "detector", 1000, "heartbeats/s", ">= 200,000", false);
        report.add("e", "rss", 512.5, "MiB");

        report.write(dir.resolve("bench"));

        assertThat(Files.readString(dir.resolve("bench/report.md"))).contains("# Offline Detector benchmark", "| detector ");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("bench/report.json").toFile());
        assertThat(json.get("rows")).hasSize(2);
        assertThat(json.get("rows").get(0).get("value").asDouble()).isEqualTo(1000);
        assertThat(json.get("rows").get(0).get("met").asBoolean()).isFalse();
        assertThat(json.get("rows").get(1).get("met").isNull()).isTrue();
    }
}
