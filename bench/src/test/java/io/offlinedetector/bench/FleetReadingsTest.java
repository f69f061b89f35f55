package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the fleet stage reads from the instances: /proc status, /metrics, /instances. */
class FleetReadingsTest {

    private static final String PROC_STATUS = """
            Name:\tjava
            VmPeak:\t 4567890 kB
            VmHWM:\t  812345 kB
            VmRSS:\t  734003 kB
            Threads:\t61
            """;

    @Test
    void residentSizesAreReadFromProcStatusInKibibytes() {
        assertThat(Footprint.statusBytes(PROC_STATUS, "VmRSS")).isEqualTo(734_003L * 1024);
        assertThat(Footprint.statusBytes(PROC_STATUS, "VmHWM")).isEqualTo(812_345L * 1024);
        assertThat(Footprint.statusBytes(PROC_STATUS, "VmSwap")).isEqualTo(-1);
        assertThat(Footprint.statusBytes(PROC_STATUS, "Threads")).isEqualTo(-1);
    }

    @Test
    void thisJvmsResidentSizeIsThere() {
        assertThat(Footprint.procStatusBytes("self", "VmRSS")).isPositive();
        assertThat(Footprint.procStatusBytes("999999999", "VmRSS")).isEqualTo(-1);
    }

    @Test
    void heapInUseIsTheSumOfTheHeapPoolsOnly() {
        String metrics = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen",} 5.0E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 6.0E7
                jvm_memory_used_bytes_other{area="heap"} 1.0
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 4.0E8
                """;
        assertThat(ScrapedMetrics.heapUsedBytes(metrics)).isEqualTo(10_485_760L + 50_000_000L);
        assertThat(ScrapedMetrics.heapUsedBytes("# nothing\n")).isEqualTo(-1);
    }

    @Test
    void allocatedBytesAreReadFromTheGcCounterWithOrWithoutLabels() {
        String metrics = """
                # TYPE jvm_gc_memory_allocated_bytes_total counter
                jvm_gc_memory_allocated_bytes_total 1.2345678E9
                jvm_gc_memory_allocated_bytes_total_other 7.0
                """;
        assertThat(ScrapedMetrics.allocatedBytes(metrics)).isEqualTo(1_234_567_800L);
        assertThat(ScrapedMetrics.allocatedBytes("jvm_gc_memory_allocated_bytes_total{app=\"x\"} 42.0\n")).isEqualTo(42);
        assertThat(ScrapedMetrics.allocatedBytes("# nothing\n")).isEqualTo(-1);
    }

    @Test
    void partitionsArePlacedWhenAllAreActiveSomewhereAndStandingByElsewhere() {
        Fleet.Instance a = new Fleet.Instance("a", Set.of(0, 1), Set.of(2, 3));
        Fleet.Instance b = new Fleet.Instance("b", Set.of(2, 3), Set.of(0, 1));
        assertThat(Fleet.placed(List.of(a, b), 2, 4)).isTrue();

        Fleet.Instance bWithoutStandbys = new Fleet.Instance("b", Set.of(2, 3), Set.of());
        assertThat(Fleet.placed(List.of(a, bWithoutStandbys), 2, 4)).as("a's partitions have no standby").isFalse();
        assertThat(Fleet.placed(List.of(a, b), 2, 5)).as("partition 4 processed nowhere").isFalse();
        assertThat(Fleet.placed(List.of(a), 2, 4)).as("one instance missing").isFalse();
    }
}
