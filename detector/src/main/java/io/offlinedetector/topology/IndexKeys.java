package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key layout of the {@link Names#INDEX_STORE} store. RocksDB orders keys bytewise, so each index is a
 * contiguous, ordered key range:
 *
 * <ul>
 *   <li>{@code 'T' deadline(8, big-endian) deviceId} — the timer index, ordered by deadline;
 *   <li>{@code 'S' status(1) deviceId} — devices by status, ordered by id (OFFLINE only, see {@link StatusIndex});
 *   <li>{@code 'C' status(1)} — how many devices have that status (value: 8-byte count);
 *   <li>{@code 'G' 't'} — the timer floor: no device is filed under an earlier deadline (value: 8 bytes);
 *   <li>{@code 'G' 'r'} — the record time the task has read its partition to (value: 8 bytes);
 *   <li>{@code 'G' 's'} — the ingestion stall last announced (value: since, 8 bytes; ended, 1 byte);
 *   <li>{@code 'G' 'o'} — present once the task has handed over the states of devices it does not
 *       own (see {@link ForeignStates}).
 * </ul>
 *
 * Every number kept as a value (the counts, the timer floor, the read time) is written by
 * {@link #encodeLong} and read by {@link #decodeLong}.
 */
public final class IndexKeys {

    private static final byte TIMER = 'T';
    private static final byte BY_STATUS = 'S';
    private static final byte COUNT = 'C';
    private static final byte TASK = 'G';

    private IndexKeys() {}

    public static Bytes timer(long deadline, String deviceId) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES + id.length).put(TIMER).putLong(deadline).put(id).array());
    }

    /** The smallest timer key at or after {@code deadline}: range bounds for "due by" scans. */
    public static Bytes timerBound(long deadline) {
        return Bytes.wrap(ByteBuffer.allocate(1 + Long.BYTES).put(TIMER).putLong(deadline).array());
    }

    public static long timerDeadline(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong(1);
    }

    public static String timerDeviceId(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, 1 + Long.BYTES, bytes.length - 1 - Long.BYTES, StandardCharsets.UTF_8);
    }

    public static Bytes byStatus(Status status, String deviceId) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 + id.length).put(BY_STATUS).put(status.code()).put(id).array());
    }

    /** The first key after every {@code byStatus(status, …)} key. */
    public static Bytes byStatusEnd(Status status) {
        return Bytes.wrap(new byte[] {BY_STATUS, (byte) (status.code() + 1)});
    }

    /** The smallest by-status key after {@code afterDeviceId}; the status's first key when null. */
    public static Bytes byStatusAfter(Status status, String afterDeviceId) {
        if (afterDeviceId == null) {
            return Bytes.wrap(new byte[] {BY_STATUS, status.code()});
        }
        byte[] key = byStatus(status, afterDeviceId).get();
        return Bytes.wrap(Arrays.copyOf(key, key.length + 1)); // appending 0x00 gives the next key
    }

    public static String byStatusDeviceId(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8);
    }

    public static Bytes count(Status status) {
        return Bytes.wrap(new byte[] {COUNT, status.code()});
    }

    public static Bytes timerFloor() {
        return Bytes.wrap(new byte[] {TASK, 't'});
    }

    public static Bytes readTime() {
        return Bytes.wrap(new byte[] {TASK, 'r'});
    }

    public static Bytes foreignStatesHandedOver() {
        return Bytes.wrap(new byte[] {TASK, 'o'});
    }

    public static Bytes stallAnnounced() {
        return Bytes.wrap(new byte[] {TASK, 's'});
    }

    /**
     * The 8-byte, big-endian value of the index's numbers: the per-status counts, the timer floor
     * and the read time.
     */
    public static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The number {@link #encodeLong} wrote; 0 when absent, as a count that was never written. */
    public static long decodeLong(byte[] value) {
        return decodeLong(value, 0);
    }

    /** The number {@link #encodeLong} wrote, or {@code absent} when there is none. */
    public static long decodeLong(byte[] value, long absent) {
        return value == null ? absent : ByteBuffer.wrap(value).getLong();
    }
}
