package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link DeviceState} for the state store and its changelog: JSON is only
 * for the edges. Layout (big-endian): version, status, lastSeen, since, timeoutMs, sequence,
 * timerAt, requestedTimeoutMs, then the device type and the group, each as a length-prefixed UTF-8
 * string (length -1 for none).
 *
 * <p>Version 1 ends after the device type. It is what versions before groups wrote, and it is still
 * written for a device without a group: existing stores and changelogs read as they are, and while a
 * fleet sends no groups, instances of the version before can still read every state during a
 * rolling upgrade. Version 2, with the group, is written only for a device that has one.
 *
 * <p>Version 3 is the state store's own, compact form ({@link CompactDeviceState}): never in the
 * changelog, read here too so that whatever reads the store reads it.
 */
public final class DeviceStateSerde implements Serde<DeviceState>, Serializer<DeviceState>, Deserializer<DeviceState> {

    /** With a group after the device type. */
    static final byte VERSION = 2;
    /** Without a group: the layout from before groups. */
    static final byte VERSION_WITHOUT_GROUP = 1;
    private static final int FIXED_BYTES = 1 + 1 + 6 * Long.BYTES + Short.BYTES;
    private static final short NONE = -1;
    private static final DeviceStateSerde INSTANCE = new DeviceStateSerde();

    /** The state in these bytes, of any version, or {@code null} for none. */
    public static DeviceState read(byte[] bytes) {
        return INSTANCE.deserialize(null, bytes);
    }

    @Override
    public byte[] serialize(String topic, DeviceState state) {
        if (state == null) {
            return null;
        }
        byte[] type = utf8(state.deviceType());
        byte[] group = utf8(state.group());
        int groupBytes = group == null ? 0 : Short.BYTES + group.length;
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_BYTES + length(type) + groupBytes);
        buffer.put(group == null ? VERSION_WITHOUT_GROUP : VERSION)
                .put(state.status().code())
                .putLong(state.lastSeen())
                .putLong(state.since())
                .putLong(state.timeoutMs())
                .putLong(state.sequence())
                .putLong(state.timerAt())
                .putLong(state.requestedTimeoutMs());
        putString(buffer, type);
        if (group != null) {
            putString(buffer, group);
        }
        return buffer.array();
    }

    @Override
    public DeviceState deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (CompactDeviceState.isCompact(bytes)) {
            return CompactDeviceState.read(bytes);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get();
        if (version != VERSION && version != VERSION_WITHOUT_GROUP) {
            throw new SerializationException("unknown device state version " + version);
        }
        Status status = statusOf(buffer.get());
        long lastSeen = buffer.getLong();
        long since = buffer.getLong();
        long timeoutMs = buffer.getLong();
        long sequence = buffer.getLong();
        long timerAt = buffer.getLong();
        long requestedTimeoutMs = buffer.getLong();
        String type = getString(buffer);
        String group = version == VERSION_WITHOUT_GROUP ? null : getString(buffer);
        return new DeviceState(status, lastSeen, since, timeoutMs, type, group, sequence, timerAt, requestedTimeoutMs);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] text) {
        return text == null ? 0 : text.length;
    }

    private static void putString(ByteBuffer buffer, byte[] text) {
        buffer.putShort(text == null ? NONE : (short) text.length);
        if (text != null) {
            buffer.put(text);
        }
    }

    private static String getString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        String text = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + length);
        return text;
    }

    private static Status statusOf(byte code) {
        try {
            return Status.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("device state with " + e.getMessage());
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public Serializer<DeviceState> serializer() {
        return this;
    }

    @Override
    public Deserializer<DeviceState> deserializer() {
        return this;
    }
}
