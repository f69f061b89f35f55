package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class DeviceOwnersTest {

    private static final String A = "http://127.0.0.1:1001";
    private static final String B = "http://127.0.0.1:1002";
    private static final List<String> IDS = IntStream.range(0, 1_000).mapToObj(FleetPlan::deviceId).toList();

    private final DeviceOwners owners = new DeviceOwners(Map.of(A, Set.of(0, 1, 2, 3, 4, 5), B, Set.of(6, 7, 8, 9, 10, 11)), 12);

    @Test
    void partitionIsTheJavaProducersMurmur2OfTheKey() {
        for (String id : IDS) {
            int expected = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 12;
            assertThat(DeviceOwners.partitionOf(id, 12)).isEqualTo(expected);
        }
    }

    @Test
    void localTargetsAskTheOwnerAndForwardedTargetsAskTheOtherInstance() {
        List<QueryLoad.Target> local = owners.local(IDS);
        List<QueryLoad.Target> forwarded = owners.forwarded(IDS);

        assertThat(local).hasSize(IDS.size()).allSatisfy(t -> {
            assertThat(t.instance()).isEqualTo(t.owner());
            assertThat(ownerOf(t.deviceId())).isEqualTo(t.owner());
        });
        assertThat(forwarded).hasSize(IDS.size()).allSatisfy(t -> {
            assertThat(t.instance()).isNotEqualTo(t.owner());
            assertThat(ownerOf(t.deviceId())).isEqualTo(t.owner());
        });
        assertThat(local).extracting(QueryLoad.Target::instance).contains(A, B);
    }

    @Test
    void devicesOfPartitionsNobodyProcessesAreLeftOut() {
        DeviceOwners half = new DeviceOwners(Map.of(A, Set.of(0, 1, 2), B, Set.of(6, 7, 8)), 12);
        assertThat(half.local(IDS)).allSatisfy(t -> assertThat(DeviceOwners.partitionOf(t.deviceId(), 12)).isIn(0, 1, 2, 6, 7, 8));
        assertThat(half.forwarded(IDS)).hasSameSizeAs(half.local(IDS));
    }

    @Test
    void failoverSampleCoversEveryPartitionOfTheInstanceAndNoOther() {
        List<String> sample = owners.sampleOwnedBy(B, IDS, 3);

        assertThat(sample).hasSize(6 * 3);
        assertThat(sample).extracting(id -> DeviceOwners.partitionOf(id, 12)).containsOnly(6, 7, 8, 9, 10, 11);
    }

    @Test
    void aSampleThatMissesAPartitionIsRefused() {
        String onlyOne = IDS.stream().filter(id -> DeviceOwners.partitionOf(id, 12) == 6).findFirst().orElseThrow();
        assertThatThrownBy(() -> owners.sampleOwnedBy(B, List.of(onlyOne), 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[7, 8, 9, 10, 11]");
    }

    private static String ownerOf(String id) {
        return DeviceOwners.partitionOf(id, 12) < 6 ? A : B;
    }
}
