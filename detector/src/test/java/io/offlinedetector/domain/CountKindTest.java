package io.offlinedetector.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kinds' codes are written to the index store and its changelog: they must never change. */
class CountKindTest {

    private static final Map<CountKind, Byte> WRITTEN = Map.of(CountKind.GROUP, (byte) 'g', CountKind.DEVICE_TYPE, (byte) 't');

    @Test
    void everyKindKeepsTheCodeItWasWrittenWith() {
        assertThat(CountKind.values()).hasSize(WRITTEN.size());
        WRITTEN.forEach((kind, code) -> assertThat(kind.code()).as("code of %s", kind).isEqualTo(code));
    }

    @Test
    void eachKindIsNamedByTheStatesFieldAndReadsIt() {
        DeviceState state = new DeviceState(Status.ONLINE, 1, 1, 1, "pump", "site-7", 1, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);

        assertThat(CountKind.ofField("group")).isEqualTo(CountKind.GROUP);
        assertThat(CountKind.ofField("deviceType")).isEqualTo(CountKind.DEVICE_TYPE);
        assertThat(CountKind.ofField("devicetype")).isNull();
        assertThat(CountKind.ofField(null)).isNull();
        assertThat(CountKind.GROUP.keyOf(state)).isEqualTo("site-7");
        assertThat(CountKind.DEVICE_TYPE.keyOf(state)).isEqualTo("pump");
    }
}
