package io.offlinedetector.topology;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key layout of the two stores. RocksDB orders keys bytewise, so each index is a contiguous, ordered
 * key range.
 *
 * <p>{@link Names#STATE_STORE}: each device's state under its id, and beside the states the index
 * entries derived from them, which {@link DeviceStateStore} writes itself and never logs. A device
 * id has no control characters, so its first byte is at least {@code 0x20}; every derived key starts
 * with a control byte below that:
 *
 * <ul>
 *   <li>{@code deviceId} — the device's state ({@link DeviceStateSerde}): the only entries in the
 *       store's changelog;
 *   <li>{@code 0x01 deadline(8, big-endian) deviceId} — the timer index, ordered by deadline;
 *   <li>{@code 0x02 status(1) deviceId} — devices by status, ordered by id (OFFLINE only, see
 *       {@link StateIndexes});
 *   <li>{@code 0x03 status(1)} — how many devices have that status (value: 8-byte count);
 *   <li>{@code 0x04 kind(1) 0} and {@code 0x04 kind(1) 1 key} — how many devices without a group (or
 *       device type), and with that one, are online and offline (value: two 8-byte counts, see
 *       {@link #encodeCounts}); ordered by key, devices without one first;
 *   <li>{@code 0x05 kind(1) 0} and {@code 0x05 kind(1) 1 key} — the same counts again for the keys
 *       with OFFLINE devices only, so that the worst-first order finds them without reading the
 *       others (kept in memory only, see {@link DeviceCounts});
 *   <li>{@code 0x06 kind(1) keyLength(2) key deviceId} — the devices with a group (or device type), by
 *       key and then by id (value: present); devices without one are not listed;
 *   <li>{@code 0x08} — present while the counts saved in the store are those of its states (value:
 *       the layout of these entries, see {@link DeviceStateStore#LAYOUT}).
 * </ul>
 *
 * <p>{@link Names#INDEX_STORE}, all logged:
 *
 * <ul>
 *   <li>{@code 'H' idLength(2) deviceId sequence(8)} — a device's transitions before its latest, one
 *       entry each, ordered by sequence within the device (value: see {@link TransitionHistory});
 *   <li>{@code 'G' 't'} — the timer floor: no device is filed under an earlier deadline (value: 8 bytes);
 *   <li>{@code 'G' 'r'} — the record time the task has read its partition to (value: 8 bytes);
 *   <li>{@code 'G' 's'} — the ingestion stall last announced (value: since, 8 bytes; ended, 1 byte);
 *   <li>{@code 'G' 'o'} — present once the task has handed over the states of devices it does not
 *       own (see {@link ForeignStates}).
 * </ul>
 *
 * Versions before kept the derived entries in the index store, logged; {@link #LEGACY_RANGES} are
 * where they were.
 *
 * <p>Every number kept as a value (the status counts, the timer floor, the read time) is written by
 * {@link #encodeLong} and read by {@link #decodeLong}; the counts by key are pairs, written by
 * {@link #encodeCounts}.
 */
public final class IndexKeys {

    private static final byte TIMER = 0x01;
    private static final byte BY_STATUS = 0x02;
    private static final byte COUNT = 0x03;
    private static final byte BY_KEY = 0x04;
    private static final byte BY_KEY_WITH_OFFLINE = 0x05;
    private static final byte BY_KEY_LIST = 0x06;
    private static final byte COUNTS_SAVED = 0x08;
    /** The smallest first byte of a device id: ids have no control characters. */
    private static final byte FIRST_ID_BYTE = 0x20;
    private static final byte TASK = 'G';
    private static final byte HISTORY = 'H';
    /** Above every byte of UTF-8: appended to a key prefix, it bounds the range of keys that start with it. */
    private static final byte AFTER_UTF8 = (byte) 0xFF;
    private static final byte NO_KEY = 0;
    private static final byte KEY = 1;

    /**
     * Where versions before kept the derived entries in the index store, as {@code [from, to]}
     * pairs (no key of the store is either end): counts by key, status counts and lists by key
     * ({@code 'B'} to {@code 'D'}); the status list and the timers ({@code 'S'}, {@code 'T'}); and
     * the mark that the lists by key were complete ({@code 'G' 'd'}).
     */
    static final List<Bytes[]> LEGACY_RANGES = List.of(
            new Bytes[] {Bytes.wrap(new byte[] {'B'}), Bytes.wrap(new byte[] {'E'})},
            new Bytes[] {Bytes.wrap(new byte[] {'S'}), Bytes.wrap(new byte[] {'U'})},
            new Bytes[] {Bytes.wrap(new byte[] {TASK, 'd'}), Bytes.wrap(new byte[] {TASK, 'd', 0})});

    private IndexKeys() {}

    /** Where the state of this device is kept. */
    public static Bytes state(String deviceId) {
        return Bytes.wrap(deviceId.getBytes(StandardCharsets.UTF_8));
    }

    /** The first state key after {@code afterDeviceId}, or the first of all when null: the start of a page of states. */
    public static Bytes statesAfter(String afterDeviceId) {
        if (afterDeviceId == null) {
            return Bytes.wrap(new byte[] {FIRST_ID_BYTE});
        }
        byte[] key = afterDeviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(Arrays.copyOf(key, key.length + 1)); // appending 0x00 gives the next key
    }

    /** The device id of a state key. */
    public static String stateDeviceId(Bytes key) {
        return new String(key.get(), StandardCharsets.UTF_8);
    }

    /** The smallest key after this one. */
    static Bytes after(Bytes key) {
        return Bytes.wrap(Arrays.copyOf(key.get(), key.get().length + 1)); // appending 0x00 gives the next key
    }

    /** Above every derived entry of the state store, and below every state (never a key itself). */
    static Bytes derivedEnd() {
        return Bytes.wrap(new byte[] {COUNTS_SAVED + 1});
    }

    /** The first key of the derived entries of the state store. */
    static Bytes derivedStart() {
        return Bytes.wrap(new byte[] {TIMER});
    }

    /** Present in the state store while the counts saved in it are those of its states: from a clean close to the next open. */
    static Bytes countsSaved() {
        return Bytes.wrap(new byte[] {COUNTS_SAVED});
    }

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

    /** Whether this key of the state store is a count's: of a status, of a key, or of a key with OFFLINE devices. */
    static boolean isCount(Bytes key) {
        byte first = key.get().length == 0 ? 0 : key.get()[0];
        return first == COUNT || first == BY_KEY || first == BY_KEY_WITH_OFFLINE;
    }

    /** At or below every count's key, above every key before them (never a key itself). */
    static Bytes countsStart() {
        return Bytes.wrap(new byte[] {COUNT});
    }

    /** Above every count's key, at or below every key after them (never a key itself). */
    static Bytes countsEnd() {
        return Bytes.wrap(new byte[] {BY_KEY_LIST});
    }

    /** Whether this key of the state store is a status count ({@link #count}), not a count by key. */
    static boolean isStatusCount(Bytes key) {
        return key.get()[0] == COUNT;
    }

    /** Where the devices with this group (or device type) are counted; {@code key} null: those without one. */
    public static Bytes keyCount(CountKind kind, String key) {
        if (key == null) {
            return Bytes.wrap(new byte[] {BY_KEY, kind.code(), NO_KEY});
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(3 + bytes.length).put(BY_KEY).put(kind.code()).put(KEY).put(bytes).array());
    }

    /** The first key of the {@code keyCount(kind, …)} range. */
    public static Bytes keyCountsStart(CountKind kind) {
        return Bytes.wrap(new byte[] {BY_KEY, kind.code()});
    }

    /** The first key after every {@code keyCount(kind, …)} key. */
    public static Bytes keyCountsEnd(CountKind kind) {
        return Bytes.wrap(new byte[] {BY_KEY, (byte) (kind.code() + 1)});
    }

    /** Whether this key, read in the range from {@link #keyCountsStart} to {@link #keyCountsEnd}, is one of {@code kind}'s counts. */
    public static boolean isKeyCount(CountKind kind, Bytes key) {
        byte[] bytes = key.get();
        return bytes.length >= 3 && bytes[0] == BY_KEY && bytes[1] == kind.code();
    }

    /** Where {@code keyCount}'s count is found again while its key has OFFLINE devices. */
    static Bytes withOffline(Bytes keyCount) {
        byte[] bytes = keyCount.get().clone();
        bytes[0] = BY_KEY_WITH_OFFLINE;
        return Bytes.wrap(bytes);
    }

    /** Whether this key of the state store is a {@link #keyCount} key, of any kind. */
    static boolean isAnyKeyCount(Bytes key) {
        return key.get()[0] == BY_KEY;
    }

    /** The first key of {@code kind}'s counts of the keys with OFFLINE devices ({@link #withOffline}). */
    public static Bytes withOfflineStart(CountKind kind) {
        return Bytes.wrap(new byte[] {BY_KEY_WITH_OFFLINE, kind.code()});
    }

    /** The first key after {@code kind}'s counts of the keys with OFFLINE devices (never a key itself). */
    public static Bytes withOfflineEnd(CountKind kind) {
        return Bytes.wrap(new byte[] {BY_KEY_WITH_OFFLINE, (byte) (kind.code() + 1)});
    }

    /** The group (or device type) of a {@link #keyCount} (or {@link #withOffline}) key; {@code null} for the devices without one. */
    public static String keyCountKey(Bytes key) {
        byte[] bytes = key.get();
        return bytes[2] == NO_KEY ? null : new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    }

    /**
     * A device listed under its group (or device type). The key's length comes first, so that one
     * key's devices are a range of their own (without it, key "a" and id "b…" would read as key "ab").
     */
    public static Bytes keyed(CountKind kind, String key, String deviceId) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = keyedPrefix(kind, key);
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + id.length).put(prefix).put(id).array());
    }

    /** The smallest {@link #keyed} key of this key after {@code afterDeviceId}; the key's first when null. */
    public static Bytes keyedAfter(CountKind kind, String key, String afterDeviceId) {
        if (afterDeviceId == null) {
            return Bytes.wrap(keyedPrefix(kind, key));
        }
        byte[] at = keyed(kind, key, afterDeviceId).get();
        return Bytes.wrap(Arrays.copyOf(at, at.length + 1)); // appending 0x00 gives the next key
    }

    /** Above every {@link #keyed} key of this key, and below those of the keys after it (never a key itself). */
    public static Bytes keyedEnd(CountKind kind, String key) {
        byte[] prefix = keyedPrefix(kind, key);
        byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
        end[prefix.length] = AFTER_UTF8;
        return Bytes.wrap(end);
    }

    /** The device id of a {@link #keyed} key. */
    public static String keyedDeviceId(Bytes key) {
        byte[] bytes = key.get();
        int start = 4 + (ByteBuffer.wrap(bytes).getShort(2) & 0xFFFF);
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    /** The group (or device type) of a {@link #keyed} key. */
    public static String keyedKey(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, 4, ByteBuffer.wrap(bytes).getShort(2) & 0xFFFF, StandardCharsets.UTF_8);
    }

    /** The kind of a {@link #keyed} key. */
    public static boolean isKeyed(CountKind kind, Bytes key) {
        byte[] bytes = key.get();
        return bytes.length >= 4 && bytes[0] == BY_KEY_LIST && bytes[1] == kind.code();
    }

    /** The first key of every {@link #keyed} key, of every kind. */
    static Bytes keyedStart() {
        return Bytes.wrap(new byte[] {BY_KEY_LIST});
    }

    /** The first key after every {@link #keyed} key, of every kind (never a key itself). */
    static Bytes keyedAllEnd() {
        return Bytes.wrap(new byte[] {BY_KEY_LIST + 1});
    }

    private static byte[] keyedPrefix(CountKind kind, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).put(BY_KEY_LIST).put(kind.code()).putShort((short) bytes.length).put(bytes).array();
    }

    /**
     * One kept transition of a device. The id's length comes first, so that one device's entries
     * are a range of their own (without it, "a" would be a prefix of "ab").
     */
    public static Bytes history(String deviceId, long sequence) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(3 + id.length + Long.BYTES)
                .put(HISTORY).putShort((short) id.length).put(id).putLong(sequence).array());
    }

    /** The first key of the device's {@link #history} range. */
    public static Bytes historyStart(String deviceId) {
        return history(deviceId, 0);
    }

    /** The last key of the device's {@link #history} range (inclusive). */
    public static Bytes historyEnd(String deviceId) {
        return history(deviceId, Long.MAX_VALUE);
    }

    public static long historySequence(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes).getLong(bytes.length - Long.BYTES);
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

    /** The value of a {@link #keyCount} key: how many of its devices are online, then offline, 8 bytes each, big-endian. */
    public static byte[] encodeCounts(long online, long offline) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(online).putLong(offline).array();
    }

    /** The online count {@link #encodeCounts} wrote; 0 when absent. */
    public static long decodeOnline(byte[] counts) {
        return counts == null ? 0 : ByteBuffer.wrap(counts).getLong(0);
    }

    /** The offline count {@link #encodeCounts} wrote; 0 when absent. */
    public static long decodeOffline(byte[] counts) {
        return counts == null ? 0 : ByteBuffer.wrap(counts).getLong(Long.BYTES);
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
