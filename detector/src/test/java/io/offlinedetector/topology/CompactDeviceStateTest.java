package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The state store's own form of a state: compact, read back whole, compared for the indexes as bytes. */
class CompactDeviceStateTest {

    private static final long T0 = 1_795_000_000_000L;
    private static final String[] KEYS = {null, "", "pump", "温度計-🌡", "x".repeat(64), "温".repeat(128)};

    @Test
    void everyStateReadsBackAsWritten() {
        Random random = new Random(5);
        long[] times = {0, 1, -1, T0, T0 + 123, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35};
        for (int i = 0; i < 5_000; i++) {
            DeviceState state = new DeviceState(random.nextBoolean() ? Status.ONLINE : Status.OFFLINE, pick(random, times), pick(random, times),
                    1 + random.nextInt(Integer.MAX_VALUE), KEYS[random.nextInt(KEYS.length)], KEYS[random.nextInt(KEYS.length)],
                    1 + random.nextInt(1_000), random.nextBoolean() ? DeviceState.NO_TIMER : pick(random, times),
                    random.nextBoolean() ? DeviceState.NO_REQUEST : pick(random, times));

            byte[] compact = CompactDeviceState.write(state);

            assertThat(CompactDeviceState.isCompact(compact)).isTrue();
            assertThat(CompactDeviceState.read(compact)).isEqualTo(state);
            assertThat(DeviceStateSerde.read(compact)).as("read wherever states are read").isEqualTo(state);
        }
    }

    @Test
    void aTypicalStateTakesAboutHalfTheBytesOfTheChangelogsForm() {
        DeviceState state = new DeviceState(Status.ONLINE, T0 + 5_000, T0, 7_200_000, "sensor", null, 1, T0 + 7_205_000, DeviceState.NO_REQUEST);

        assertThat(CompactDeviceState.write(state)).hasSize(32);
        assertThat(new DeviceStateSerde().serialize(null, state)).hasSize(58);
    }

    @Test
    void statesCompareEqualForTheIndexesExactlyWhenStatusTimerTypeAndGroupAre() {
        DeviceState state = new DeviceState(Status.ONLINE, T0, T0, 60_000, "pump", "site-7", 1, T0 + 60_000, DeviceState.NO_REQUEST);
        DeviceState later = new DeviceState(Status.ONLINE, T0 + 9_000, T0, 120_000, "pump", "site-7", 1, T0 + 60_000, 120_000);

        assertThat(same(state, later)).as("seen later, another timeout: the same entries").isTrue();
        assertThat(same(state, new DeviceState(Status.OFFLINE, T0, T0, 60_000, "pump", "site-7", 2, T0 + 60_000, 0))).isFalse();
        assertThat(same(state, state.withTimerAt(T0 + 1))).isFalse();
        assertThat(same(state, new DeviceState(Status.ONLINE, T0, T0, 60_000, "pumps", "site-7", 1, T0 + 60_000, 0))).isFalse();
        assertThat(same(state, new DeviceState(Status.ONLINE, T0, T0, 60_000, "pump", null, 1, T0 + 60_000, 0))).isFalse();
        assertThat(same(state, new DeviceState(Status.ONLINE, T0, T0, 60_000, "pum", "psite-7", 1, T0 + 60_000, 0)))
                .as("where one key ends and the next starts counts").isFalse();
    }

    @Test
    void bytesThatAreNoStateAreASerializationError() {
        assertThatThrownBy(() -> CompactDeviceState.read(new byte[] {CompactDeviceState.VERSION, 9})).isInstanceOf(SerializationException.class);
    }

    private static boolean same(DeviceState a, DeviceState b) {
        return CompactDeviceState.sameIndexFields(CompactDeviceState.write(a), CompactDeviceState.write(b));
    }

    private static long pick(Random random, long[] values) {
        return values[random.nextInt(values.length)];
    }
}
