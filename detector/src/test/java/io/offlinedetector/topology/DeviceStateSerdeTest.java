package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DeviceStateSerdeTest {

    private static final String TOPIC = "app-device-state-changelog";

    private final DeviceStateSerde serde = new DeviceStateSerde();

    private DeviceState roundTrip(DeviceState state) {
        byte[] bytes = serde.serializer().serialize(TOPIC, state);
        return serde.deserializer().deserialize(TOPIC, bytes);
    }

    @Test
    void roundTripsAnOnlineDeviceWithAType() {
        DeviceState state = new DeviceState(
                Status.ONLINE, 1_795_000_001_234L, 1_795_000_000_000L, 600_000, "thermostat", 7, 1_795_000_601_234L, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAnOfflineDeviceWithoutATypeOrTimer() {
        DeviceState state = new DeviceState(
                Status.OFFLINE, 1_795_000_001_234L, 1_795_000_601_234L, 600_000, null, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        DeviceState back = roundTrip(state);
        assertEquals(state, back);
        assertNull(back.deviceType());
    }

    @Test
    void roundTripsAnEmptyType() {
        DeviceState state = new DeviceState(Status.ONLINE, 1, 1, 1_000, "", 1, 1_001, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAUnicodeTypeOfMaximumLength() {
        String type = "温度計-thermomètre-🌡".repeat(3);
        DeviceState state = new DeviceState(Status.ONLINE, 10, 10, 5_000, type, 1, 5_010, DeviceState.NO_REQUEST);
        assertEquals(type, roundTrip(state).deviceType());
        String longest = "€".repeat(HeartbeatParser.MAX_DEVICE_TYPE_CHARS);
        DeviceState longType = new DeviceState(Status.ONLINE, 10, 10, 5_000, longest, 1, 5_010, DeviceState.NO_REQUEST);
        assertEquals(longType, roundTrip(longType));
    }

    @Test
    void roundTripsExtremeNumbers() {
        DeviceState state = new DeviceState(Status.ONLINE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, "t", Long.MAX_VALUE, 0, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serialize(TOPIC, null));
        assertNull(serde.deserialize(TOPIC, null));
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, 1, 1_001, DeviceState.NO_REQUEST));
        bytes[0] = 99;
        assertThrows(SerializationException.class, () -> serde.deserialize(TOPIC, bytes));
    }

    @Test
    void statusIsWrittenAsItsExplicitCode() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.OFFLINE, 1, 1, 1_000, null, 1, DeviceState.NO_TIMER, DeviceState.NO_REQUEST));
        assertEquals(Status.OFFLINE.code(), bytes[1]);
    }

    @Test
    void unknownStatusCodeIsRefused() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, 1, 1_001, DeviceState.NO_REQUEST));
        bytes[1] = 42;
        assertThrows(SerializationException.class, () -> serde.deserialize(TOPIC, bytes));
    }
}
