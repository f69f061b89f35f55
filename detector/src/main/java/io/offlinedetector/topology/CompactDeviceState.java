package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The form a device's state takes in the state store's RocksDB, version 3 of {@link
 * DeviceStateSerde}: about half the bytes of the changelog's form, so that RocksDB keeps twice the
 * states in its memtables and block cache. Only the store holds it; the changelog and the records
 * handed between partitions keep the form versions before read.
 *
 * <p>Layout: version (3), status code, timerAt (8 bytes, big-endian), the device type and the group
 * (each its UTF-8 length plus one as a varint, 0 for none, then the bytes), then as varints lastSeen,
 * since − lastSeen (zigzag: ahead of lastSeen once offline), timeoutMs, sequence and
 * requestedTimeoutMs. What the indexes derive from (status, timer, type, group) comes first, so two
 * states are compared for them as one run of bytes.
 */
final class CompactDeviceState {

    static final byte VERSION = 3;
    private static final int STATUS_AT = 1;
    private static final int TIMER_AT = 2;
    private static final int KEYS_AT = TIMER_AT + Long.BYTES;

    private CompactDeviceState() {}

    static boolean isCompact(byte[] bytes) {
        return bytes[0] == VERSION;
    }

    static byte[] write(DeviceState state) {
        byte[] type = utf8(state.deviceType());
        byte[] group = utf8(state.group());
        byte[] bytes = new byte[KEYS_AT + 2 * 3 + length(type) + length(group) + 5 * 10]; // a varint takes at most 10 bytes
        bytes[0] = VERSION;
        bytes[STATUS_AT] = state.status().code();
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[TIMER_AT + i] = (byte) (state.timerAt() >>> (56 - 8 * i));
        }
        int at = string(bytes, KEYS_AT, type);
        at = string(bytes, at, group);
        at = varint(bytes, at, state.lastSeen());
        at = varint(bytes, at, zigzag(state.since() - state.lastSeen()));
        at = varint(bytes, at, state.timeoutMs());
        at = varint(bytes, at, state.sequence());
        at = varint(bytes, at, state.requestedTimeoutMs());
        return Arrays.copyOf(bytes, at);
    }

    static DeviceState read(byte[] bytes) {
        try {
            Status status = Status.ofCode(bytes[STATUS_AT]);
            long timerAt = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                timerAt = timerAt << 8 | (bytes[TIMER_AT + i] & 0xFF);
            }
            Reader in = new Reader(bytes, KEYS_AT);
            String type = in.string();
            String group = in.string();
            long lastSeen = in.varint();
            long since = lastSeen + unzigzag(in.varint());
            long timeoutMs = in.varint();
            long sequence = in.varint();
            long requested = in.varint();
            return new DeviceState(status, lastSeen, since, timeoutMs, type, group, sequence, timerAt, requested);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("device state version 3 that cannot be read: " + e.getMessage());
        }
    }

    /** Whether two compact states imply the same index entries and counts: the same status, timer, type and group. */
    static boolean sameIndexFields(byte[] a, byte[] b) {
        int end = keysEnd(a);
        return end == keysEnd(b) && Arrays.equals(a, 0, end, b, 0, end);
    }

    /** Where the group ends, and the numbers start. */
    private static int keysEnd(byte[] bytes) {
        Reader in = new Reader(bytes, KEYS_AT);
        in.skipString();
        in.skipString();
        return in.at;
    }

    private static int string(byte[] bytes, int at, byte[] text) {
        at = varint(bytes, at, text == null ? 0 : text.length + 1);
        if (text != null) {
            System.arraycopy(text, 0, bytes, at, text.length);
            at += text.length;
        }
        return at;
    }

    private static int varint(byte[] bytes, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            bytes[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        bytes[at++] = (byte) value;
        return at;
    }

    private static long zigzag(long value) {
        return value << 1 ^ value >> 63;
    }

    private static long unzigzag(long value) {
        return value >>> 1 ^ -(value & 1);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] text) {
        return text == null ? 0 : text.length;
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        String string() {
            int length = (int) varint() - 1;
            if (length < 0) {
                return null;
            }
            String text = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }

        void skipString() {
            int length = (int) varint() - 1;
            at += Math.max(0, length);
        }
    }
}
