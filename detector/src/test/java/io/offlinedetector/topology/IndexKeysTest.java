package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The stores' key layout: RocksDB orders keys bytewise, so each index must be a sorted range, apart from the states. */
class IndexKeysTest {

    private static final long T0 = 1_795_000_000_000L;

    private static int compare(Bytes a, Bytes b) {
        return Bytes.BYTES_LEXICO_COMPARATOR.compare(a.get(), b.get());
    }

    private static void assertBefore(Bytes a, Bytes b) {
        assertTrue(compare(a, b) < 0, () -> a + " should sort before " + b);
    }

    @Test
    void timerKeysSortByDeadlineBytewiseWhateverTheDeviceId() {
        long[] deadlines = {1, 127, 128, 255, 256, 65_535, 65_536, 1L << 31, 1L << 32, T0, T0 + 1, T0 + 256, Long.MAX_VALUE};
        String[] ids = {"zzz", "a", "ü-device", "m", "0"};
        List<Bytes> keys = new ArrayList<>();
        Random random = new Random(7);
        for (long deadline : deadlines) {
            keys.add(IndexKeys.timer(deadline, ids[random.nextInt(ids.length)]));
        }
        List<Bytes> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> compare(a, b));
        List<Long> sortedDeadlines = sorted.stream().map(IndexKeys::timerDeadline).toList();
        List<Long> expected = new ArrayList<>();
        for (long deadline : deadlines) {
            expected.add(deadline);
        }
        assertEquals(expected, sortedDeadlines);
    }

    @Test
    void eachDevicesHistoryIsARangeOfItsOwnInSequenceOrder() {
        assertBefore(IndexKeys.history("a", 1), IndexKeys.history("a", 2));
        assertBefore(IndexKeys.history("a", 255), IndexKeys.history("a", 256));
        assertBefore(IndexKeys.historyStart("a"), IndexKeys.history("a", 1));
        assertBefore(IndexKeys.history("a", Long.MAX_VALUE - 1), IndexKeys.historyEnd("a"));
        // "a" is a prefix of "ab": the length before the id keeps their ranges apart
        assertBefore(IndexKeys.historyEnd("a"), IndexKeys.historyStart("ab"));
        assertBefore(IndexKeys.historyEnd("zz"), IndexKeys.historyStart("aaa"));
        assertEquals(42, IndexKeys.historySequence(IndexKeys.history("ü-device", 42)));
    }

    @Test
    void timerKeysWithTheSameDeadlineSortById() {
        assertBefore(IndexKeys.timer(T0, "a"), IndexKeys.timer(T0, "b"));
        assertBefore(IndexKeys.timer(T0, "zzzz"), IndexKeys.timer(T0 + 1, "a"));
    }

    @Test
    void timerBoundsEncloseExactlyTheKeysOfTheirDeadline() {
        Bytes key = IndexKeys.timer(T0, "sensor-42");
        assertTrue(compare(IndexKeys.timerBound(T0), key) < 0);
        assertBefore(key, IndexKeys.timerBound(T0 + 1));
        assertBefore(IndexKeys.timer(T0 - 1, "\uFFFF".repeat(10)), IndexKeys.timerBound(T0));
        assertTrue(compare(IndexKeys.timerBound(0), IndexKeys.timer(1, "a")) < 0);
    }

    @Test
    void timerKeysDecodeBackToDeadlineAndId() {
        for (String id : new String[] {"sensor-42", "温度-é", "x".repeat(200)}) {
            Bytes key = IndexKeys.timer(T0 + 5, id);
            assertEquals(T0 + 5, IndexKeys.timerDeadline(key));
            assertEquals(id, IndexKeys.timerDeviceId(key));
        }
    }

    @Test
    void byStatusKeysDecodeBackToTheId() {
        assertEquals("温度-é", IndexKeys.byStatusDeviceId(IndexKeys.byStatus(Status.OFFLINE, "温度-é")));
    }

    @Test
    void byStatusAfterGivesTheNextKey() {
        Bytes after = IndexKeys.byStatusAfter(Status.OFFLINE, "sensor-1");

        assertBefore(IndexKeys.byStatus(Status.OFFLINE, "sensor-1"), after);
        // nothing fits between the id and its successor: the smallest longer id sorts at or after it
        assertTrue(compare(after, IndexKeys.byStatus(Status.OFFLINE, "sensor-1!")) <= 0);
        assertBefore(after, IndexKeys.byStatus(Status.OFFLINE, "sensor-10"));
        assertBefore(after, IndexKeys.byStatus(Status.OFFLINE, "sensor-2"));
        assertBefore(IndexKeys.byStatus(Status.OFFLINE, "sensor-0"), after);
        assertBefore(IndexKeys.byStatus(Status.OFFLINE, "sensor-"), after);
    }

    @Test
    void byStatusAfterNullStartsTheStatusRange() {
        Bytes start = IndexKeys.byStatusAfter(Status.OFFLINE, null);
        assertTrue(compare(start, IndexKeys.byStatus(Status.OFFLINE, "")) <= 0);
        assertBefore(start, IndexKeys.byStatus(Status.OFFLINE, "\u0001"));
        assertBefore(IndexKeys.byStatus(Status.ONLINE, "\uFFFF".repeat(50)), start);
    }

    @Test
    void byStatusRangesAreSeparateAndOrderedById() {
        for (Status status : List.of(Status.ONLINE, Status.OFFLINE)) {
            List<String> ids = new ArrayList<>(List.of("b", "a", "aa", "温度", "Z", "a-1", "é"));
            List<Bytes> keys = new ArrayList<>(ids.stream().map(id -> IndexKeys.byStatus(status, id)).toList());
            keys.sort((x, y) -> compare(x, y));
            ids.sort(Comparator.comparing(id -> Bytes.wrap(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            assertEquals(ids, keys.stream().map(IndexKeys::byStatusDeviceId).toList());

            Bytes start = IndexKeys.byStatusAfter(status, null);
            Bytes end = IndexKeys.byStatusEnd(status);
            for (Bytes key : keys) {
                assertTrue(compare(start, key) <= 0);
                assertBefore(key, end);
            }
        }
        assertTrue(compare(IndexKeys.byStatusEnd(Status.ONLINE), IndexKeys.byStatus(Status.OFFLINE, "")) <= 0);
    }

    @Test
    void derivedEntriesDoNotOverlapAndAllSortBeforeEveryState() {
        // timers < by status < status counts < counts by key < those with OFFLINE devices < lists by key < the mark:
        // each a contiguous range of its own
        assertBefore(IndexKeys.derivedStart(), IndexKeys.timerBound(0));
        assertBefore(IndexKeys.timer(Long.MAX_VALUE, "\uFFFF".repeat(10)), IndexKeys.byStatusAfter(Status.UNKNOWN, null));
        assertBefore(IndexKeys.byStatusEnd(Status.OFFLINE), IndexKeys.count(Status.UNKNOWN));
        assertBefore(IndexKeys.count(Status.OFFLINE), IndexKeys.keyCountsStart(CountKind.GROUP));
        assertBefore(IndexKeys.keyCountsEnd(CountKind.DEVICE_TYPE), IndexKeys.withOfflineStart(CountKind.GROUP));
        assertBefore(IndexKeys.withOfflineEnd(CountKind.GROUP), IndexKeys.withOfflineStart(CountKind.DEVICE_TYPE));
        assertBefore(IndexKeys.withOfflineEnd(CountKind.DEVICE_TYPE), IndexKeys.keyedStart());
        assertBefore(IndexKeys.keyedAllEnd(), IndexKeys.countsSaved());
        // the counts (kept in memory) are one range, from the status counts to the counts by key
        assertBefore(IndexKeys.byStatusEnd(Status.OFFLINE), IndexKeys.countsStart());
        assertBefore(IndexKeys.countsStart(), IndexKeys.count(Status.UNKNOWN));
        assertBefore(IndexKeys.withOfflineEnd(CountKind.DEVICE_TYPE), IndexKeys.countsEnd());
        assertTrue(compare(IndexKeys.countsEnd(), IndexKeys.keyedStart()) <= 0);
        assertTrue(IndexKeys.isCount(IndexKeys.count(Status.ONLINE)));
        assertTrue(IndexKeys.isCount(IndexKeys.keyCount(CountKind.GROUP, null)));
        assertTrue(IndexKeys.isCount(IndexKeys.withOffline(IndexKeys.keyCount(CountKind.GROUP, "a"))));
        assertFalse(IndexKeys.isCount(IndexKeys.keyed(CountKind.GROUP, "a", "b")));
        assertBefore(IndexKeys.countsSaved(), IndexKeys.derivedEnd());
        // The smallest id a device may have: no control characters, so it starts at the space.
        assertBefore(IndexKeys.derivedEnd(), IndexKeys.state(" "));
        assertBefore(IndexKeys.derivedEnd(), IndexKeys.statesAfter(null));
        assertTrue(compare(IndexKeys.statesAfter(null), IndexKeys.state(" ")) <= 0);
    }

    @Test
    void statesAreKeptUnderTheIdsUtf8AndPagesStartAfterTheLastId() {
        assertArrayEquals("温度-é".getBytes(java.nio.charset.StandardCharsets.UTF_8), IndexKeys.state("温度-é").get());
        assertEquals("温度-é", IndexKeys.stateDeviceId(IndexKeys.state("温度-é")));
        Bytes after = IndexKeys.statesAfter("sensor-1");
        assertBefore(IndexKeys.state("sensor-1"), after);
        assertTrue(compare(after, IndexKeys.state("sensor-1 ")) < 0, "nothing an id can be fits between");
        assertBefore(after, IndexKeys.state("sensor-10"));
    }

    @Test
    void countsHaveOneKeyPerStatus() {
        assertNotEquals(IndexKeys.count(Status.ONLINE), IndexKeys.count(Status.OFFLINE));
        assertEquals(IndexKeys.count(Status.ONLINE), IndexKeys.count(Status.ONLINE));
    }

    @Test
    void countsEncodeAndDecode() {
        for (long count : new long[] {0, 1, 255, 256, 1_000_000, -1, Long.MAX_VALUE}) {
            assertEquals(count, IndexKeys.decodeLong(IndexKeys.encodeLong(count)));
        }
        assertEquals(Long.BYTES, IndexKeys.encodeLong(5).length);
    }

    @Test
    void aMissingCountIsZero() {
        assertEquals(0, IndexKeys.decodeLong(null));
    }

    @Test
    void statusKeysCarryTheStatusCodeNotItsPositionInTheEnum() {
        assertEquals(Status.OFFLINE.code(), IndexKeys.byStatus(Status.OFFLINE, "d").get()[1]);
        assertEquals(Status.ONLINE.code(), IndexKeys.count(Status.ONLINE).get()[1]);
        assertEquals(Status.OFFLINE.code() + 1, IndexKeys.byStatusEnd(Status.OFFLINE).get()[1]);
    }

    @Test
    void keyCountKeysAreWrittenWithExplicitBytes() {
        assertArrayEquals(new byte[] {0x04, 'g', 0}, IndexKeys.keyCount(CountKind.GROUP, null).get());
        assertArrayEquals(new byte[] {0x04, 'g', 1}, IndexKeys.keyCount(CountKind.GROUP, "").get());
        assertArrayEquals(new byte[] {0x04, 't', 1, 'a', (byte) 0xC3, (byte) 0xA9}, IndexKeys.keyCount(CountKind.DEVICE_TYPE, "a\u00E9").get());
    }

    @Test
    void keyCountsSortWithoutAKeyFirstThenByUtf8BytesAndDecodeBack() {
        // U+FFFD sorts after U+1D11E in UTF-16 (String.compareTo) but before it in UTF-8.
        List<String> keys = java.util.Arrays.asList(null, "", "\u0000", "a", "a-1", "b", "温度", "\uFFFD", "\uD834\uDD1E");
        for (CountKind kind : CountKind.values()) {
            List<Bytes> encoded = new ArrayList<>(keys.stream().map(key -> IndexKeys.keyCount(kind, key)).toList());
            java.util.Collections.shuffle(encoded, new Random(3));
            encoded.sort((x, y) -> compare(x, y));
            assertEquals(keys, encoded.stream().map(IndexKeys::keyCountKey).toList());
            for (Bytes key : encoded) {
                assertTrue(compare(IndexKeys.keyCountsStart(kind), key) < 0);
                assertBefore(key, IndexKeys.keyCountsEnd(kind));
                assertTrue(IndexKeys.isKeyCount(kind, key));
            }
        }
    }

    @Test
    void keyCountRangesAreSeparatePerKindAndFromTheOtherIndexes() {
        assertFalse(IndexKeys.isKeyCount(CountKind.GROUP, IndexKeys.keyCount(CountKind.DEVICE_TYPE, "a")));
        assertFalse(IndexKeys.isKeyCount(CountKind.GROUP, IndexKeys.keyCountsEnd(CountKind.GROUP)));
        assertTrue(compare(IndexKeys.keyCountsEnd(CountKind.GROUP), IndexKeys.keyCountsStart(CountKind.DEVICE_TYPE)) <= 0);
        assertBefore(IndexKeys.count(Status.OFFLINE), IndexKeys.keyCountsStart(CountKind.GROUP));
        assertBefore(IndexKeys.keyCountsEnd(CountKind.DEVICE_TYPE), IndexKeys.statesAfter(null));
    }

    @Test
    void keyCountValuesAreTwoCountsAndAMissingOneIsZero() {
        byte[] value = IndexKeys.encodeCounts(3, 1L << 40);
        assertEquals(2 * Long.BYTES, value.length);
        assertEquals(3, IndexKeys.decodeOnline(value));
        assertEquals(1L << 40, IndexKeys.decodeOffline(value));
        assertEquals(0, IndexKeys.decodeOnline(null));
        assertEquals(0, IndexKeys.decodeOffline(null));
    }

    @Test
    void aKeysCountWithOfflineDevicesIsKeptApartUnderTheSameKey() {
        Bytes count = IndexKeys.keyCount(CountKind.DEVICE_TYPE, "pump");
        Bytes apart = IndexKeys.withOffline(count);
        assertArrayEquals(new byte[] {0x05, 't', 1, 'p', 'u', 'm', 'p'}, apart.get());
        assertEquals("pump", IndexKeys.keyCountKey(apart));
        assertEquals(null, IndexKeys.keyCountKey(IndexKeys.withOffline(IndexKeys.keyCount(CountKind.GROUP, null))));
        assertTrue(compare(IndexKeys.withOfflineStart(CountKind.DEVICE_TYPE), apart) <= 0);
        assertBefore(apart, IndexKeys.withOfflineEnd(CountKind.DEVICE_TYPE));
        assertTrue(IndexKeys.isAnyKeyCount(count));
        assertFalse(IndexKeys.isAnyKeyCount(apart));
        assertArrayEquals(new byte[] {0x04, 't', 1, 'p', 'u', 'm', 'p'}, count.get(), "the count itself is left as it was");
    }

    @Test
    void keyedKeysAreWrittenWithExplicitBytesAndDecodeBack() {
        assertArrayEquals(new byte[] {0x06, 'g', 0, 1, 'a', 'b'}, IndexKeys.keyed(CountKind.GROUP, "a", "b").get());
        Bytes key = IndexKeys.keyed(CountKind.DEVICE_TYPE, "pump\u00E9", "sensor-1");
        assertEquals("pump\u00E9", IndexKeys.keyedKey(key));
        assertEquals("sensor-1", IndexKeys.keyedDeviceId(key));
        assertTrue(IndexKeys.isKeyed(CountKind.DEVICE_TYPE, key));
        assertFalse(IndexKeys.isKeyed(CountKind.GROUP, key));
    }

    @Test
    void eachKeysDevicesAreARangeOfTheirOwnInIdOrder() {
        Bytes start = IndexKeys.keyedAfter(CountKind.GROUP, "a", null);
        Bytes end = IndexKeys.keyedEnd(CountKind.GROUP, "a");
        for (String id : List.of("", "b", "\uFFFD", "\uD834\uDD1E")) {
            Bytes key = IndexKeys.keyed(CountKind.GROUP, "a", id);
            assertTrue(compare(start, key) <= 0);
            assertBefore(key, end);
        }
        assertBefore(IndexKeys.keyed(CountKind.GROUP, "a", "b"), IndexKeys.keyed(CountKind.GROUP, "a", "c"));
        assertBefore(IndexKeys.keyed(CountKind.GROUP, "a", "b"), IndexKeys.keyedAfter(CountKind.GROUP, "a", "b"));
        assertEquals(IndexKeys.keyed(CountKind.GROUP, "a", "b\u0000"), IndexKeys.keyedAfter(CountKind.GROUP, "a", "b"), "the id after b");
        assertBefore(end, IndexKeys.keyed(CountKind.GROUP, "ab", "")); // "ab" is longer: after every key of "a"
        assertBefore(IndexKeys.keyedEnd(CountKind.GROUP, "\uFFFF"), IndexKeys.keyed(CountKind.DEVICE_TYPE, "", "a"));
        assertBefore(IndexKeys.keyCountsEnd(CountKind.DEVICE_TYPE), IndexKeys.keyedStart());
        assertBefore(IndexKeys.keyedAllEnd(), IndexKeys.statesAfter(null));
        assertBefore(IndexKeys.keyed(CountKind.DEVICE_TYPE, "\uFFFF".repeat(64), "\uFFFF"), IndexKeys.keyedAllEnd());
    }
}
