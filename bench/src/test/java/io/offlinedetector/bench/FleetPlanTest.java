package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
