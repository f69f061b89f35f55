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
 * timerAt, requestedTimeoutMs, then the device type as a length-prefixed UTF-8 string (length -1 for none).
 */
public final class DeviceStateSerde implements Serde<DeviceState>, Serializer<DeviceState>, Deserializer<DeviceState> {

    private static final byte VERSION = 1;
    private static final int FIXED_BYTES = 1 + 1 + 6 * Long.BYTES + Short.BYTES;

    @Override
    public byte[] serialize(String topic, DeviceState state) {
        if (state == null) {
            return null;
        }
        byte[] type = state.deviceType() == null ? null : state.deviceType().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_BYTES + (type == null ? 0 : type.length));
        buffer.put(VERSION)
                .put(state.status().code())
                .putLong(state.lastSeen())
                .putLong(state.since())
                .putLong(state.timeoutMs())
                .putLong(state.sequence())
                .putLong(state.timerAt())
                .putLong(state.requestedTimeoutMs())
                .putShort(type == null ? -1 : (short) type.length);
        if (type != null) {
            buffer.put(type);
        }
        return buffer.array();
    }

    @Override
    public DeviceState deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new SerializationException("unknown device state version " + version);
        }
        Status status = statusOf(buffer.get());
        long lastSeen = buffer.getLong();
        long since = buffer.getLong();
        long timeoutMs = buffer.getLong();
        long sequence = buffer.getLong();
        long timerAt = buffer.getLong();
        long requestedTimeoutMs = buffer.getLong();
        short typeLength = buffer.getShort();
        String type = typeLength < 0 ? null : new String(bytes, buffer.position(), typeLength, StandardCharsets.UTF_8);
        return new DeviceState(status, lastSeen, since, timeoutMs, type, sequence, timerAt, requestedTimeoutMs);
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
