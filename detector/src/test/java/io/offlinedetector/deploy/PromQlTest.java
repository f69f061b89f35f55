package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link PromQl#metricNames}: the names the shipped queries read, and nothing that only looks like one. */
class PromQlTest {

    @Test
    void findsTheMetricOfASelectorInsideAggregations() {
        assertThat(PromQl.metricNames("sum by (status) (offline_detector_devices{job=~\"$job\", status=\"OFFLINE\"})"))
                .containsExactly("offline_detector_devices");
    }

    @Test
    @DisplayName("ranges, grouping labels, numbers and function names are no metrics")
    void skipsRangesLabelsNumbersAndFunctions() {
        assertThat(PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, route) (rate(offline_detector_http_requests_seconds_bucket{job=~\"$job\"}[$__rate_interval])))"))
                .containsExactly("offline_detector_http_requests_seconds_bucket");
        assertThat(PromQl.metricNames("1e3 * rate(a_total[5m] offset 1h) > bool 0.5"))
                .containsExactly("a_total");
    }

    @Test
    @DisplayName("both sides of binary operators and set operators, with on (...) and group_left (...)")
    void findsEveryOperand() {
        assertThat(PromQl.metricNames("a / on (group) group_left (owner) b > 0.5\nand c >= 3 unless sum without (instance) (d) or e"))
                .containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    @DisplayName("recording rules' names with colons are names")
    void namesWithColons() {
        assertThat(PromQl.metricNames("group:x_offline:sum / group:x:sum")).containsExactly("group:x_offline:sum", "group:x:sum");
    }

    @Test
    @DisplayName("what strings hold is no metric, even braces and names")
    void stringsAreSkipped() {
        assertThat(PromQl.metricNames("label_replace(up{job=\"a}b\"}, \"dst\", \"$1\", \"src\", \"(not_a_metric.*)\")"))
                .containsExactly("up");
        assertThat(PromQl.metricNames("topk(20, x{route='/stats?by=group'}) and on (group) `y` == y"))
                .containsExactly("x", "y");
    }
}
