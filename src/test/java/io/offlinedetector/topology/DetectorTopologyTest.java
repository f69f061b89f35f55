package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the production topology ({@link DetectorTopology#build}) with the test driver's wall clock
 * only: every check is a {@code advanceWallClockTime}, so detection is deterministic.
 */
class DetectorTopologyTest {

    private static final Instant START = Instant.parse("2026-11-21T20:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final Duration THERMOSTAT_TIMEOUT = Duration.ofSeconds(10);

    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(),
                    Map.of("thermostat", THERMOSTAT_TIMEOUT.toMillis())),
            CHECK,
            Duration.ofMinutes(1));

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;
    private TestOutputTopic<byte[], byte[]> status;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private KeyValueStore<String, DeviceState> states;
    private KeyValueStore<Bytes, byte[]> index;
    /** The driver's wall clock. */
    private Instant now = START;
    /** Records piped so far: the next input offset on the single partition. */
    private long piped;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-test-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DetectorTopology.build(SETTINGS), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(Names.STATUS_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Names.DLQ_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        states = driver.getKeyValueStore(Names.STATE_STORE);
        index = driver.getKeyValueStore(Names.INDEX_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    // --- helpers -------------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static long ms(Instant instant) {
        return instant.toEpochMilli();
    }

    /** A heartbeat stamped with the detector's current clock. */
    private void beat(String deviceId, String value) {
        beat(deviceId, value, now);
    }

    private void beat(String deviceId, String value, Instant time) {
        heartbeats.pipeInput(utf8(deviceId), utf8(value), time);
        piped++;
    }

    private void pipe(TestRecord<byte[], byte[]> record) {
        heartbeats.pipeInput(record);
        piped++;
    }

    /** Advances the wall clock one check interval at a time, so every check in between runs. */
    private void advance(Duration by) {
        Instant until = now.plus(by);
        while (now.isBefore(until)) {
            Duration step = Duration.between(now, until).compareTo(CHECK) < 0 ? Duration.between(now, until) : CHECK;
            driver.advanceWallClockTime(step);
            now = now.plus(step);
        }
    }

    private void advanceTo(Instant instant) {
        advance(Duration.between(now, instant));
    }

    /** Reads every event published so far, checking the key and the record timestamp of each. */
    private List<StatusChange> events() {
        List<StatusChange> changes = new ArrayList<>();
        for (TestRecord<byte[], byte[]> record : status.readRecordsToList()) {
            StatusChange change = StatusChangeJson.read(record.value());
            assertEquals(change.deviceId(), new String(record.key(), StandardCharsets.UTF_8), "key = device id");
            assertEquals(change.changedAt(), record.timestamp(), "record timestamp = changedAt");
            changes.add(change);
        }
        return changes;
    }

    private StatusChange onlyEvent() {
        List<StatusChange> events = events();
        assertEquals(1, events.size(), () -> "expected one event, got " + events);
        return events.get(0);
    }

    private long count(Status s) {
        return IndexKeys.decodeCount(index.get(IndexKeys.count(s)));
    }

    /** Every entry of the timer index ('T' range), as device id → deadlines. */
    private Map<String, List<Long>> timerIndex() {
        Map<String, List<Long>> filings = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = index.range(Bytes.wrap(new byte[] {'T'}), Bytes.wrap(new byte[] {'U'}))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                filings.computeIfAbsent(IndexKeys.timerDeviceId(key), k -> new ArrayList<>()).add(IndexKeys.timerDeadline(key));
            }
        }
        return filings;
    }

    private Set<String> byStatus(Status s) {
        Set<String> ids = new HashSet<>();
        try (KeyValueIterator<Bytes, byte[]> it = index.range(IndexKeys.byStatusAfter(s, null), IndexKeys.byStatusEnd(s))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (!key.equals(IndexKeys.byStatusEnd(s))) {
                    ids.add(IndexKeys.byStatusDeviceId(key));
                }
            }
        }
        return ids;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertNotNull(header, () -> "missing header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    // --- transitions ---------------------------------------------------------------------------

    @Test
    void firstHeartbeatPublishesOneOnlineEvent() {
        advance(Duration.ofMillis(150));
        Instant sent = now.minusMillis(100);
        beat("sensor-42", "{\"deviceType\":\"thermostat\"}", sent);

        StatusChange change = onlyEvent();
        assertEquals("sensor-42", change.deviceId());
        assertEquals(Status.ONLINE, change.status());
        assertEquals(Status.UNKNOWN, change.previousStatus());
        assertEquals(Reason.FIRST_HEARTBEAT, change.reason());
        assertEquals(1, change.sequence());
        assertEquals(ms(sent), change.changedAt());
        assertEquals(ms(sent), change.lastSeen());
        assertEquals(ms(now), change.detectedAt());
        assertEquals("thermostat", change.deviceType());
        assertEquals(THERMOSTAT_TIMEOUT.toMillis(), change.timeoutMs());

        assertEquals(
                new DeviceState(Status.ONLINE, ms(sent), ms(sent), THERMOSTAT_TIMEOUT.toMillis(), "thermostat", 1,
                        ms(sent.plus(THERMOSTAT_TIMEOUT)), DeviceState.NO_REQUEST),
                states.get("sensor-42"));
        assertEquals(1, count(Status.ONLINE));
        assertEquals(0, count(Status.OFFLINE));
        assertEquals(Set.of(), byStatus(Status.ONLINE), "online devices are counted, not listed: their list reads the states");
        assertEquals(Map.of("sensor-42", List.of(ms(sent.plus(THERMOSTAT_TIMEOUT)))), timerIndex());
    }

    @Test
    void moreHeartbeatsWhileOnlinePublishNothing() {
        beat("sensor-42", "");
        events();
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMillis(500));
            beat("sensor-42", "");
        }
        assertEquals(List.of(), events());
        assertEquals(ms(now), states.get("sensor-42").lastSeen());
        assertEquals(ms(START), states.get("sensor-42").since());
    }

    @Test
    @DisplayName("silence gives exactly one OFFLINE event, dated lastSeen + timeout, however many checks follow")
    void reportsOfflineOnceWhenHeartbeatsStop() {
        beat("sensor-42", "");
        advance(Duration.ofSeconds(1));
        Instant lastSeen = now;
        beat("sensor-42", "");
        assertEquals(1, events().size());

        advanceTo(lastSeen.plus(TIMEOUT).minus(CHECK));
        assertEquals(List.of(), events(), "not offline before the deadline");

        advance(Duration.ofSeconds(60)); // 120 more checks
        StatusChange change = onlyEvent();
        assertEquals(Status.OFFLINE, change.status());
        assertEquals(Status.ONLINE, change.previousStatus());
        assertEquals(Reason.TIMEOUT, change.reason());
        assertEquals(2, change.sequence());
        assertEquals(ms(lastSeen.plus(TIMEOUT)), change.changedAt());
        assertEquals(ms(lastSeen), change.lastSeen());
        assertEquals(ms(lastSeen.plus(TIMEOUT)), change.detectedAt(), "found at the first check at or after the deadline");
        assertTrue(change.detectedAt() - change.changedAt() <= CHECK.toMillis());

        assertEquals(
                new DeviceState(Status.OFFLINE, ms(lastSeen), ms(lastSeen.plus(TIMEOUT)), TIMEOUT.toMillis(), null, 2,
                        DeviceState.NO_TIMER, DeviceState.NO_REQUEST),
                states.get("sensor-42"));
        assertEquals(0, count(Status.ONLINE));
        assertEquals(1, count(Status.OFFLINE));
        assertEquals(Set.of(), byStatus(Status.ONLINE));
        assertEquals(Set.of("sensor-42"), byStatus(Status.OFFLINE));
        assertEquals(Map.of(), timerIndex(), "an offline device has no timer");
    }

    @Test
    void heartbeatAfterOfflineResumesWithSequenceThree() {
        beat("sensor-42", "");
        advance(TIMEOUT.plusSeconds(3));
        assertEquals(List.of(Reason.FIRST_HEARTBEAT, Reason.TIMEOUT), events().stream().map(StatusChange::reason).toList());

        Instant resumedAt = now.minusMillis(200);
        beat("sensor-42", "{}", resumedAt);

        StatusChange change = onlyEvent();
        assertEquals(Status.ONLINE, change.status());
        assertEquals(Status.OFFLINE, change.previousStatus());
        assertEquals(Reason.HEARTBEAT_RESUMED, change.reason());
        assertEquals(3, change.sequence());
        assertEquals(ms(resumedAt), change.changedAt());
        assertEquals(ms(now), change.detectedAt());
        assertEquals(1, count(Status.ONLINE));
        assertEquals(0, count(Status.OFFLINE));
        assertEquals(Map.of("sensor-42", List.of(ms(resumedAt.plus(TIMEOUT)))), timerIndex());

        advance(TIMEOUT.plusSeconds(1));
        StatusChange again = onlyEvent();
        assertEquals(Reason.TIMEOUT, again.reason());
        assertEquals(4, again.sequence());
        assertEquals(ms(resumedAt.plus(TIMEOUT)), again.changedAt());
    }

    @Test
    void lateHeartbeatWhileOfflineOnlyUpdatesLastSeen() {
        beat("sensor-42", "");
        advance(TIMEOUT.plusSeconds(10));
        events();
        Instant late = START.plusSeconds(2); // time + timeout is already behind the clock
        beat("sensor-42", "", late);

        assertEquals(List.of(), events());
        DeviceState state = states.get("sensor-42");
        assertEquals(Status.OFFLINE, state.status());
        assertEquals(ms(late), state.lastSeen());
        assertEquals(Map.of(), timerIndex());
        assertEquals(1, count(Status.OFFLINE));
    }

    @Test
    void deviceThatKeepsBeatingWithinItsTimeoutIsNeverReportedOffline() {
        // The longest silence, a 1.5 s gap after a heartbeat stamped 1.4 s late, stays well inside 4 s.
        for (int round = 0; round < 60; round++) {
            beat("steady", "");
            beat("jittery", "", now.minusMillis(round % 3 * 700)); // some late, some out of order
            advance(Duration.ofMillis(round % 2 == 0 ? 1_500 : 500));
        }
        List<StatusChange> events = events();
        assertEquals(2, events.size(), events::toString);
        assertTrue(events.stream().allMatch(e -> e.reason() == Reason.FIRST_HEARTBEAT));
        assertEquals(2, count(Status.ONLINE));
        assertEquals(0, count(Status.OFFLINE));
        Map<String, List<Long>> timers = timerIndex();
        assertEquals(Set.of("steady", "jittery"), timers.keySet());
        timers.forEach((id, deadlines) -> {
            assertEquals(1, deadlines.size(), () -> id + " filed " + deadlines);
            assertEquals(states.get(id).timerAt(), deadlines.get(0));
            assertTrue(deadlines.get(0) <= states.get(id).deadline(), "filed no later than the real deadline");
        });
    }

    @Test
    void timestampFarAheadOfTheClockCountsAsNow() {
        advance(Duration.ofSeconds(1));
        beat("skewed", "", now.plus(Duration.ofHours(2)));

        StatusChange change = onlyEvent();
        assertEquals(ms(now), change.changedAt());
        assertEquals(ms(now), states.get("skewed").lastSeen());

        advance(TIMEOUT);
        assertEquals(Reason.TIMEOUT, onlyEvent().reason());
    }

    // --- timeouts ------------------------------------------------------------------------------

    @Test
    void perDeviceAndPerTypeTimeoutsAreHonoured() {
        beat("own", "{\"timeoutMs\":2000,\"deviceType\":\"thermostat\"}");
        beat("typed", "{\"deviceType\":\"thermostat\"}");
        beat("plain", "{\"deviceType\":\"toaster\"}");
        beat("clamped", "{\"timeoutMs\":1}");
        events();

        Map<String, Long> offlineAt = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            advance(CHECK);
            for (StatusChange change : events()) {
                assertEquals(Status.OFFLINE, change.status());
                assertNull(offlineAt.put(change.deviceId(), change.changedAt()), "reported offline twice");
                assertEquals(ms(now), change.detectedAt(), "found at the check at its deadline");
            }
        }
        assertEquals(
                Map.of("clamped", ms(START) + 1_000,
                        "own", ms(START) + 2_000,
                        "plain", ms(START) + TIMEOUT.toMillis(),
                        "typed", ms(START) + THERMOSTAT_TIMEOUT.toMillis()),
                offlineAt);
        assertEquals(1_000, states.get("clamped").timeoutMs());
    }

    @Test
    void shorterTimeoutFromALaterHeartbeatTakesEffectAtOnce() {
        beat("sensor-42", "{\"deviceType\":\"thermostat\"}");
        advance(Duration.ofSeconds(1));
        beat("sensor-42", "{\"timeoutMs\":1500}");
        events();

        assertEquals(Map.of("sensor-42", List.of(ms(now) + 1_500)), timerIndex(), "re-filed earlier");
        advance(Duration.ofMillis(1_500));
        StatusChange change = onlyEvent();
        assertEquals(Reason.TIMEOUT, change.reason());
        assertEquals(ms(now), change.changedAt());
        assertEquals(1_500, change.timeoutMs());
    }

    // --- bad records ---------------------------------------------------------------------------

    @Test
    void emptyValueAndEmptyObjectAreValidHeartbeats() {
        beat("empty", "");
        beat("null-value", null);
        beat("braces", "{}");
        beat("json-null", "null");

        assertEquals(Set.of("empty", "null-value", "braces", "json-null"),
                new HashSet<>(events().stream().map(StatusChange::deviceId).toList()));
        assertTrue(deadLetters.isEmpty());
        assertEquals(4, count(Status.ONLINE));
    }

    @Test
    @DisplayName("bad records go to heartbeats-dlq unchanged, with headers saying why, and processing goes on")
    void badRecordsAreDeadLetteredAndProcessingGoesOn() {
        beat("good-1", "");
        events();

        Headers original = new RecordHeaders().add("trace-id", utf8("abc-123"));
        long invalidOffset = piped;
        Instant invalidTime = now.minusMillis(5);
        pipe(new TestRecord<>(utf8("sensor-1"), utf8("not json {"), original, invalidTime));
        long soonOffset = piped;
        beat("sensor-2", "{\"timeoutMs\":\"soon\"}");

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(2, dead.size());

        TestRecord<byte[], byte[]> invalid = dead.get(0);
        assertArrayEquals(utf8("sensor-1"), invalid.key());
        assertArrayEquals(utf8("not json {"), invalid.value());
        assertEquals(ms(invalidTime), invalid.timestamp());
        assertEquals("abc-123", header(invalid.headers(), "trace-id"), "the record's own headers are kept");
        assertEquals("INVALID_JSON", header(invalid.headers(), DeadLetterHeaders.ERROR_CODE));
        assertTrue(header(invalid.headers(), DeadLetterHeaders.ERROR_MESSAGE).contains("JSON"));
        assertEquals(Names.HEARTBEATS_TOPIC, header(invalid.headers(), DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("0", header(invalid.headers(), DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals(Long.toString(invalidOffset), header(invalid.headers(), DeadLetterHeaders.SOURCE_OFFSET));

        TestRecord<byte[], byte[]> soon = dead.get(1);
        assertArrayEquals(utf8("sensor-2"), soon.key());
        assertArrayEquals(utf8("{\"timeoutMs\":\"soon\"}"), soon.value());
        assertEquals("INVALID_FIELD", header(soon.headers(), DeadLetterHeaders.ERROR_CODE));
        assertTrue(header(soon.headers(), DeadLetterHeaders.ERROR_MESSAGE).contains("timeoutMs"));
        assertEquals(Names.HEARTBEATS_TOPIC, header(soon.headers(), DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("0", header(soon.headers(), DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals(Long.toString(soonOffset), header(soon.headers(), DeadLetterHeaders.SOURCE_OFFSET));

        assertEquals(List.of(), events(), "bad records cause no transition");
        assertNull(states.get("sensor-1"));
        assertNull(states.get("sensor-2"));

        beat("good-2", "{\"deviceType\":\"thermostat\"}");
        StatusChange change = onlyEvent();
        assertEquals("good-2", change.deviceId());
        assertEquals(Reason.FIRST_HEARTBEAT, change.reason());
        assertEquals(2, count(Status.ONLINE));
        assertEquals(2.0, deadLetteredTotal());
    }

    @Test
    void badRecordOfAKnownDeviceDoesNotTouchItsState() {
        beat("sensor-42", "");
        DeviceState before = states.get("sensor-42");
        advance(Duration.ofSeconds(1));
        beat("sensor-42", "{\"deviceId\":\"sensor-43\"}");
        beat("sensor-42", "[1,2,3]");

        List<String> codes = deadLetters.readRecordsToList().stream()
                .map(r -> header(r.headers(), DeadLetterHeaders.ERROR_CODE)).toList();
        assertEquals(List.of("DEVICE_ID_MISMATCH", "NOT_AN_OBJECT"), codes);
        assertEquals(before, states.get("sensor-42"));
    }

    @Test
    void recordWithoutAKeyIsDeadLettered() {
        pipe(new TestRecord<>(null, utf8("{}"), now));
        pipe(new TestRecord<>(utf8("bad\nid"), utf8("{}"), now));

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertEquals(List.of("MISSING_KEY", "INVALID_KEY"),
                dead.stream().map(r -> header(r.headers(), DeadLetterHeaders.ERROR_CODE)).toList());
        assertNull(dead.get(0).key());
        assertTrue(status.isEmpty());
        assertEquals(0, count(Status.ONLINE));
    }

    private double deadLetteredTotal() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dead-lettered-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    // --- the timer index at scale --------------------------------------------------------------

    @Test
    @DisplayName("a check with nothing due leaves the devices that are not due alone")
    void checkWithNothingDueTouchesNoDevice() {
        int devices = 10_000;
        List<KeyValue<byte[], byte[]>> batch = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            batch.add(KeyValue.pair(utf8("device-" + i), new byte[0]));
        }
        heartbeats.pipeRecordList(batch.stream().map(kv -> new TestRecord<>(kv.key, kv.value, now)).toList());
        assertEquals(devices, events().size());
        Map<String, List<Long>> filedFirst = timerIndex();

        advance(Duration.ofSeconds(2));
        heartbeats.pipeRecordList(batch.stream().map(kv -> new TestRecord<>(kv.key, kv.value, now)).toList());
        advanceTo(START.plus(TIMEOUT).minus(CHECK)); // the first filings are not due yet

        assertEquals(List.of(), events());
        Map<String, List<Long>> filings = timerIndex();
        assertEquals(devices, filings.size());
        for (int i = 0; i < devices; i++) {
            String id = "device-" + i;
            assertEquals(List.of(ms(START.plus(TIMEOUT))), filings.get(id), id);
            DeviceState state = states.get(id);
            assertEquals(ms(START.plus(TIMEOUT)), state.timerAt(), "filing stays lazy");
            assertEquals(ms(START.plusSeconds(2)), state.lastSeen());
        }
        assertEquals(filedFirst, filings, "the second round of heartbeats did not re-file anyone");
        assertEquals(devices, count(Status.ONLINE));

        // The first filings fire now: everyone was heard from since, so each re-arms once and stays online.
        advanceTo(START.plus(TIMEOUT));
        assertEquals(List.of(), events());
        Map<String, List<Long>> rearmed = timerIndex();
        assertEquals(devices, rearmed.size());
        rearmed.values().forEach(deadlines -> assertEquals(List.of(ms(START.plusSeconds(2).plus(TIMEOUT))), deadlines));
    }

    @Test
    @DisplayName("more due devices than one batch (DUE_BATCH) all go offline in a single check, each once")
    void manyDueDevicesGoOfflineInOneCheck() {
        int devices = 2 * DetectorProcessor.DUE_BATCH + 5_000;
        List<TestRecord<byte[], byte[]>> batch = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            batch.add(new TestRecord<>(utf8("device-" + i), new byte[0], now));
        }
        heartbeats.pipeRecordList(batch);
        assertEquals(devices, events().size());

        advanceTo(START.plus(TIMEOUT).minus(CHECK));
        assertEquals(List.of(), events());

        driver.advanceWallClockTime(CHECK); // one single check
        now = now.plus(CHECK);

        List<StatusChange> offline = events();
        assertEquals(devices, offline.size());
        Set<String> ids = new HashSet<>();
        for (StatusChange change : offline) {
            assertEquals(Status.OFFLINE, change.status());
            assertEquals(ms(START.plus(TIMEOUT)), change.changedAt());
            assertEquals(2, change.sequence());
            assertTrue(ids.add(change.deviceId()), () -> change.deviceId() + " reported twice");
        }
        assertEquals(devices, count(Status.OFFLINE));
        assertEquals(0, count(Status.ONLINE));
        assertEquals(Map.of(), timerIndex());

        advance(Duration.ofSeconds(5));
        assertEquals(List.of(), events(), "nothing more to report");
    }
}
