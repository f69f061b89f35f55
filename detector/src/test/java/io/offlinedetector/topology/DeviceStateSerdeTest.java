package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.DisplayName;
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
                Status.ONLINE, 1_795_000_001_234L, 1_795_000_000_000L, 600_000, "thermostat", null, 7, 1_795_000_601_234L, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAnOfflineDeviceWithoutATypeOrTimer() {
        DeviceState state = new DeviceState(
                Status.OFFLINE, 1_795_000_001_234L, 1_795_000_601_234L, 600_000, null, null, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        DeviceState back = roundTrip(state);
        assertEquals(state, back);
        assertNull(back.deviceType());
    }

    @Test
    void roundTripsAnEmptyType() {
        DeviceState state = new DeviceState(Status.ONLINE, 1, 1, 1_000, "", null, 1, 1_001, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAUnicodeTypeOfMaximumLength() {
        String type = "温度計-thermomètre-🌡".repeat(3);
        DeviceState state = new DeviceState(Status.ONLINE, 10, 10, 5_000, type, null, 1, 5_010, DeviceState.NO_REQUEST);
        assertEquals(type, roundTrip(state).deviceType());
        String longest = "€".repeat(HeartbeatParser.MAX_DEVICE_TYPE_CHARS);
        DeviceState longType = new DeviceState(Status.ONLINE, 10, 10, 5_000, longest, null, 1, 5_010, DeviceState.NO_REQUEST);
        assertEquals(longType, roundTrip(longType));
    }

    @Test
    void roundTripsAGroup() {
        DeviceState state = new DeviceState(
                Status.ONLINE, 1_795_000_001_234L, 1_795_000_000_000L, 600_000, "thermostat", "site-7", 7, 1_795_000_601_234L, 30_000);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAGroupWithoutAType() {
        DeviceState state = new DeviceState(Status.OFFLINE, 1, 2, 1_000, null, "gateway-12", 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        DeviceState back = roundTrip(state);
        assertEquals(state, back);
        assertNull(back.deviceType());
        assertEquals("gateway-12", back.group());
    }

    @Test
    void roundTripsAnEmptyGroup() {
        DeviceState state = new DeviceState(Status.ONLINE, 1, 1, 1_000, "", "", 1, 1_001, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void roundTripsAUnicodeGroupOfMaximumLengthBesideAUnicodeTypeOfMaximumLength() {
        String group = "温度計-site-é-🌡!!!".repeat(HeartbeatParser.MAX_GROUP_CHARS / 16); // 16 UTF-16 units each
        assertEquals(HeartbeatParser.MAX_GROUP_CHARS, group.length());
        String type = "€".repeat(HeartbeatParser.MAX_DEVICE_TYPE_CHARS);
        DeviceState state = new DeviceState(Status.ONLINE, 10, 10, 5_000, type, group, 1, 5_010, 5_000);
        DeviceState back = roundTrip(state);
        assertEquals(state, back);
        assertEquals(group, back.group());

        String widest = "温".repeat(HeartbeatParser.MAX_GROUP_CHARS); // 3 bytes each in UTF-8
        DeviceState wide = new DeviceState(Status.ONLINE, 10, 10, 5_000, null, widest, 1, 5_010, DeviceState.NO_REQUEST);
        assertEquals(wide, roundTrip(wide));
    }

    @Test
    @DisplayName("a device with a group is written as version 2, one without as version 1, which the version before groups reads")
    void writesVersionTwoOnlyForADeviceWithAGroup() {
        assertEquals(2, serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, "site-7", 1, 1_001, DeviceState.NO_REQUEST))[0]);
        assertEquals(1, serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, null, 1, 1_001, DeviceState.NO_REQUEST))[0]);
    }

    @Test
    @DisplayName("version 2 is version 1's layout with the group after the device type, as a length-prefixed UTF-8 string, -1 for none")
    void versionTwoLayout() throws IOException {
        DeviceState state = new DeviceState(Status.ONLINE, 11, 12, 13, "té", "g€", 14, 15, 16);
        assertArrayEquals(versionTwo(Status.ONLINE, 11, 12, 13, 14, 15, 16, "té", "g€"), serde.serialize(TOPIC, state));

        DeviceState none = new DeviceState(Status.OFFLINE, 11, 12, 13, null, "", 14, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        assertArrayEquals(versionTwo(Status.OFFLINE, 11, 12, 13, 14, DeviceState.NO_TIMER, DeviceState.NO_REQUEST, null, ""),
                serde.serialize(TOPIC, none));
    }

    @Test
    @DisplayName("a version-1 record, as the code before groups wrote it, still reads: a device without a group")
    void readsALiteralVersionOneRecord() {
        byte[] v1 = {
            1, // version
            1, // status ONLINE
            0, 0, 0, 0, 0, 0, 0, 10, // lastSeen
            0, 0, 0, 0, 0, 0, 0, 9, // since
            0, 0, 0, 0, 0, 0, 0x03, (byte) 0xe8, // timeoutMs 1000
            0, 0, 0, 0, 0, 0, 0, 3, // sequence
            0, 0, 0, 0, 0, 0, 0x03, (byte) 0xf2, // timerAt 1010
            0, 0, 0, 0, 0, 0, 0, 0, // requestedTimeoutMs: none
            0, 3, 'p', (byte) 0xc3, (byte) 0xa9, // device type "pé"
        };
        assertEquals(new DeviceState(Status.ONLINE, 10, 9, 1_000, "pé", null, 3, 1_010, DeviceState.NO_REQUEST), serde.deserialize(TOPIC, v1));
    }

    @Test
    @DisplayName("version-1 records, with or without a type, ONLINE or OFFLINE, still read: as devices without a group")
    void readsVersionOneRecords() throws IOException {
        byte[] withType = versionOne(Status.ONLINE, 1_795_000_001_234L, 1_795_000_000_000L, 600_000, 7, 1_795_000_601_234L, 30_000,
                "thermomètre");
        assertEquals(
                new DeviceState(Status.ONLINE, 1_795_000_001_234L, 1_795_000_000_000L, 600_000, "thermomètre", null, 7, 1_795_000_601_234L, 30_000),
                serde.deserialize(TOPIC, withType));

        byte[] withoutType = versionOne(Status.OFFLINE, 5, 6, 1_000, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST, null);
        assertEquals(new DeviceState(Status.OFFLINE, 5, 6, 1_000, null, null, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST),
                serde.deserialize(TOPIC, withoutType));

        String longest = "€".repeat(HeartbeatParser.MAX_DEVICE_TYPE_CHARS);
        byte[] longType = versionOne(Status.ONLINE, 10, 10, 5_000, 1, 5_010, DeviceState.NO_REQUEST, longest);
        assertEquals(longest, serde.deserialize(TOPIC, longType).deviceType());
    }

    @Test
    void aVersionOneRecordIsWrittenBackUnchangedWhileTheDeviceHasNoGroup() throws IOException {
        byte[] v1 = versionOne(Status.ONLINE, 1, 1, 1_000, 1, 1_001, DeviceState.NO_REQUEST, "pump");
        DeviceState state = serde.deserialize(TOPIC, v1);
        assertArrayEquals(v1, serde.serialize(TOPIC, state));
    }

    @Test
    void roundTripsExtremeNumbers() {
        DeviceState state = new DeviceState(Status.ONLINE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, "t", "g", Long.MAX_VALUE, 0, DeviceState.NO_REQUEST);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serialize(TOPIC, null));
        assertNull(serde.deserialize(TOPIC, null));
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, null, 1, 1_001, DeviceState.NO_REQUEST));
        for (byte version : new byte[] {0, 4, 99, -1}) {
            bytes[0] = version;
            assertThrows(SerializationException.class, () -> serde.deserialize(TOPIC, bytes), "version " + version);
        }
    }

    @Test
    void statusIsWrittenAsItsExplicitCode() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.OFFLINE, 1, 1, 1_000, null, null, 1, DeviceState.NO_TIMER, DeviceState.NO_REQUEST));
        assertEquals(Status.OFFLINE.code(), bytes[1]);
    }

    @Test
    void unknownStatusCodeIsRefused() {
        byte[] bytes = serde.serialize(TOPIC, new DeviceState(Status.ONLINE, 1, 1, 1_000, null, null, 1, 1_001, DeviceState.NO_REQUEST));
        bytes[1] = 42;
        assertThrows(SerializationException.class, () -> serde.deserialize(TOPIC, bytes));
    }

    /**
     * A state's bytes as the code before groups wrote them (version 1), field by field: version,
     * status code, six big-endian longs (lastSeen, since, timeoutMs, sequence, timerAt,
     * requestedTimeoutMs), then the device type as a 2-byte length (-1 for none) and UTF-8 bytes.
     */
    private static byte[] versionOne(Status status, long lastSeen, long since, long timeoutMs, long sequence, long timerAt,
            long requestedTimeoutMs, String type) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        writeFields(out, status, lastSeen, since, timeoutMs, sequence, timerAt, requestedTimeoutMs, type);
        out.flush();
        return bytes.toByteArray();
    }

    /** Version 2: version 1's fields, then the group as a 2-byte length (-1 for none) and UTF-8 bytes. */
    private static byte[] versionTwo(Status status, long lastSeen, long since, long timeoutMs, long sequence, long timerAt,
            long requestedTimeoutMs, String type, String group) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(2);
        writeFields(out, status, lastSeen, since, timeoutMs, sequence, timerAt, requestedTimeoutMs, type);
        writeString(out, group);
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeFields(DataOutputStream out, Status status, long lastSeen, long since, long timeoutMs, long sequence,
            long timerAt, long requestedTimeoutMs, String type) throws IOException {
        out.writeByte(status.code());
        out.writeLong(lastSeen);
        out.writeLong(since);
        out.writeLong(timeoutMs);
        out.writeLong(sequence);
        out.writeLong(timerAt);
        out.writeLong(requestedTimeoutMs);
        writeString(out, type);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeShort(-1);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }
}
