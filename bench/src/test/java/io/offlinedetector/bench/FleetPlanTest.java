package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FleetPlanTest {

    @Test
    void oneDeviceInAHundredGoesOfflineAndIsCountedExactly() {
        for (long devices : new long[] {0, 1, 99, 100, 101, 200, 1_000_000, 100_001}) {
            assertThat(FleetPlan.offlineAmong(devices))
                    .as("%d devices", devices)
                    .isEqualTo(LongStream.range(0, devices).filter(FleetPlan::goesOffline).count());
        }
        assertThat(FleetPlan.offlineAmong(1_000_000)).isEqualTo(10_000);
    }

    @Test
    void offlineDevicesAskForTheShortestTimeoutAndTheOthersForADay() {
        assertThat(new String(FleetPlan.heartbeat(0), StandardCharsets.UTF_8)).contains("\"timeoutMs\":1000");
        assertThat(new String(FleetPlan.heartbeat(1), StandardCharsets.UTF_8)).contains("\"timeoutMs\":86400000");
        assertThat(FleetPlan.deviceId(42)).isEqualTo("bench-00000042");
    }

    @Test
    void aTenthOfTheFleetAlreadyFillsEveryGroupAndTheWholeFleetTenTimesOver() {
        assertThat(new String(FleetPlan.heartbeat(123_456), StandardCharsets.UTF_8))
                .isEqualTo("{\"deviceType\":\"sensor\",\"group\":\"site-23457\",\"timeoutMs\":86400000}");
        assertThat(LongStream.range(0, 100_000).mapToObj(FleetPlan::group).distinct().count()).isEqualTo(100_000);
        Map<String, Long> sizes = LongStream.range(0, 1_000_000).boxed().collect(Collectors.groupingBy(FleetPlan::group, Collectors.counting()));
        assertThat(sizes).hasSize(100_000).allSatisfy((group, devices) -> assertThat(devices).isEqualTo(10));
        assertThat(FleetPlan.groupsAmong(100_000)).isEqualTo(100_000);
        assertThat(FleetPlan.groupsAmong(1_000_000)).isEqualTo(100_000);
        assertThat(FleetPlan.groupsAmong(10_000)).isEqualTo(10_000);
    }

    @Test
    void aTenthOfTheGroupsHoldOneOfflineDeviceAmongTheirTen() {
        Map<String, Long> offline = LongStream.range(0, 1_000_000).filter(FleetPlan::goesOffline).boxed()
                .collect(Collectors.groupingBy(FleetPlan::group, Collectors.counting()));
        assertThat(offline).hasSize(10_000).allSatisfy((group, devices) -> assertThat(devices).isEqualTo(1));
    }
}
