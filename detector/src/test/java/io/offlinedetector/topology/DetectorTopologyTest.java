package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.header;
import static io.offlinedetector.topology.DetectorDriver.ms;
import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives the production topology ({@link DetectorTopology#build}) with the test driver's wall clock
 * only: every check is a {@code advanceWallClockTime}, so detection is deterministic.
 */
class DetectorTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final Duration THERMOSTAT_TIMEOUT = Duration.ofSeconds(10);

    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(),
                    Map.of("thermostat", THERMOSTAT_TIMEOUT.toMillis())),
            CHECK,
            Duration.ofMinutes(1));

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS);

    // --- transitions ---------------------------------------------------------------------------

    @Test
    void firstHeartbeatPublishesOneOnlineEvent() {
        driver.advance(Duration.ofMillis(150));
        Instant sent = driver.now().minusMillis(100);
        driver.beat("sensor-42", "{\"deviceType\":\"thermostat\"}", sent);

        StatusChange change = driver.onlyEvent();
        assertEquals("sensor-42", change.deviceId());
        assertEquals(Status.ONLINE, change.status());
        assertEquals(Status.UNKNOWN, change.previousStatus());
        assertEquals(Reason.FIRST_HEARTBEAT, change.reason());
        assertEquals(1, change.sequence());
        assertEquals(ms(sent), change.changedAt());
        assertEquals(ms(sent), change.lastSeen());
        assertEquals(ms(driver.now()), change.detectedAt());
        assertEquals("thermostat", change.deviceType());
        assertEquals(THERMOSTAT_TIMEOUT.toMillis(), change.timeoutMs());

        assertEquals(
                new DeviceState(Status.ONLINE, ms(sent), ms(sent), THERMOSTAT_TIMEOUT.toMillis(), "thermostat", null, 1,
                        ms(sent.plus(THERMOSTAT_TIMEOUT)), DeviceState.NO_REQUEST),
                driver.states().get("sensor-42"));
        assertEquals(1, driver.count(Status.ONLINE));
        assertEquals(0, driver.count(Status.OFFLINE));
        assertEquals(Set.of(), driver.byStatus(Status.ONLINE), "online devices are counted, not listed: their list reads the states");
        assertEquals(Map.of("sensor-42", List.of(ms(sent.plus(THERMOSTAT_TIMEOUT)))), driver.timerIndex());
    }

    @Test
    void moreHeartbeatsWhileOnlinePublishNothing() {
        driver.beat("sensor-42", "");
        driver.events();
        for (int i = 0; i < 5; i++) {
            driver.advance(Duration.ofMillis(500));
            driver.beat("sensor-42", "");
        }
        assertEquals(List.of(), driver.events());
        assertEquals(ms(driver.now()), driver.states().get("sensor-42").lastSeen());
        assertEquals(ms(START), driver.states().get("sensor-42").since());
    }

    @Test
    @DisplayName("silence gives exactly one OFFLINE event, dated lastSeen + timeout, however many checks follow")
    void reportsOfflineOnceWhenHeartbeatsStop() {
        driver.beat("sensor-42", "");
        driver.advance(Duration.ofSeconds(1));
        Instant lastSeen = driver.now();
        driver.beat("sensor-42", "");
        assertEquals(1, driver.events().size());

        driver.advanceTo(lastSeen.plus(TIMEOUT).minus(CHECK));
        assertEquals(List.of(), driver.events(), "not offline before the deadline");

        driver.advance(Duration.ofSeconds(60)); // 120 more checks
        StatusChange change = driver.onlyEvent();
        assertEquals(Status.OFFLINE, change.status());
        assertEquals(Status.ONLINE, change.previousStatus());
        assertEquals(Reason.TIMEOUT, change.reason());
        assertEquals(2, change.sequence());
        assertEquals(ms(lastSeen.plus(TIMEOUT)), change.changedAt());
        assertEquals(ms(lastSeen), change.lastSeen());
        assertEquals(ms(lastSeen.plus(TIMEOUT)), change.detectedAt(), "found at the first check at or after the deadline");
        assertTrue(change.detectedAt() - change.changedAt() <= CHECK.toMillis());

        assertEquals(
                new DeviceState(Status.OFFLINE, ms(lastSeen), ms(lastSeen.plus(TIMEOUT)), TIMEOUT.toMillis(), null, null, 2,
                        DeviceState.NO_TIMER, DeviceState.NO_REQUEST),
                driver.states().get("sensor-42"));
        assertEquals(0, driver.count(Status.ONLINE));
        assertEquals(1, driver.count(Status.OFFLINE));
        assertEquals(Set.of(), driver.byStatus(Status.ONLINE));
        assertEquals(Set.of("sensor-42"), driver.byStatus(Status.OFFLINE));
        assertEquals(Map.of(), driver.timerIndex(), "an offline device has no timer");
    }

    @Test
    void heartbeatAfterOfflineResumesWithSequenceThree() {
        driver.beat("sensor-42", "");
        driver.advance(TIMEOUT.plusSeconds(3));
        assertEquals(List.of(Reason.FIRST_HEARTBEAT, Reason.TIMEOUT), driver.events().stream().map(StatusChange::reason).toList());

        Instant resumedAt = driver.now().minusMillis(200);
        driver.beat("sensor-42", "{}", resumedAt);

        StatusChange change = driver.onlyEvent();
        assertEquals(Status.ONLINE, change.status());
        assertEquals(Status.OFFLINE, change.previousStatus());
        assertEquals(Reason.HEARTBEAT_RESUMED, change.reason());
        assertEquals(3, change.sequence());
        assertEquals(ms(resumedAt), change.changedAt());
        assertEquals(ms(driver.now()), change.detectedAt());
        assertEquals(1, driver.count(Status.ONLINE));
        assertEquals(0, driver.count(Status.OFFLINE));
        assertEquals(Map.of("sensor-42", List.of(ms(resumedAt.plus(TIMEOUT)))), driver.timerIndex());

        driver.advance(TIMEOUT.plusSeconds(1));
        StatusChange again = driver.onlyEvent();
        assertEquals(Reason.TIMEOUT, again.reason());
        assertEquals(4, again.sequence());
        assertEquals(ms(resumedAt.plus(TIMEOUT)), again.changedAt());
    }

    @Test
    void lateHeartbeatWhileOfflineOnlyUpdatesLastSeen() {
        driver.beat("sensor-42", "");
        driver.advance(TIMEOUT.plusSeconds(10));
        driver.events();
        Instant late = START.plusSeconds(2); // time + timeout is already behind the clock
        driver.beat("sensor-42", "", late);

        assertEquals(List.of(), driver.events());
        DeviceState state = driver.states().get("sensor-42");
        assertEquals(Status.OFFLINE, state.status());
        assertEquals(ms(late), state.lastSeen());
        assertEquals(Map.of(), driver.timerIndex());
        assertEquals(1, driver.count(Status.OFFLINE));
    }

    @Test
    void deviceThatKeepsBeatingWithinItsTimeoutIsNeverReportedOffline() {
        // The longest silence, a 1.5 s gap after a heartbeat stamped 1.4 s late, stays well inside 4 s.
        for (int round = 0; round < 60; round++) {
            driver.beat("steady", "");
            driver.beat("jittery", "", driver.now().minusMillis(round % 3 * 700)); // some late, some out of order
            driver.advance(Duration.ofMillis(round % 2 == 0 ? 1_500 : 500));
        }
        List<StatusChange> events = driver.events();
        assertEquals(2, events.size(), events::toString);
        assertTrue(events.stream().allMatch(e -> e.reason() == Reason.FIRST_HEARTBEAT));
        assertEquals(2, driver.count(Status.ONLINE));
        assertEquals(0, driver.count(Status.OFFLINE));
        Map<String, List<Long>> timers = driver.timerIndex();
        assertEquals(Set.of("steady", "jittery"), timers.keySet());
        timers.forEach((id, deadlines) -> {
            assertEquals(1, deadlines.size(), () -> id + " filed " + deadlines);
            assertEquals(driver.states().get(id).timerAt(), deadlines.get(0));
            assertTrue(deadlines.get(0) <= driver.states().get(id).deadline(), "filed no later than the real deadline");
        });
    }

    @Test
    void timestampFarAheadOfTheClockCountsAsNow() {
        driver.advance(Duration.ofSeconds(1));
        driver.beat("skewed", "", driver.now().plus(Duration.ofHours(2)));

        StatusChange change = driver.onlyEvent();
        assertEquals(ms(driver.now()), change.changedAt());
        assertEquals(ms(driver.now()), driver.states().get("skewed").lastSeen());

        driver.advance(TIMEOUT);
        assertEquals(Reason.TIMEOUT, driver.onlyEvent().reason());
    }

    // --- timeouts ------------------------------------------------------------------------------

    @Test
    void perDeviceAndPerTypeTimeoutsAreHonoured() {
        driver.beat("own", "{\"timeoutMs\":2000,\"deviceType\":\"thermostat\"}");
        driver.beat("typed", "{\"deviceType\":\"thermostat\"}");
        driver.beat("plain", "{\"deviceType\":\"toaster\"}");
        driver.beat("clamped", "{\"timeoutMs\":1}");
        driver.events();

        Map<String, Long> offlineAt = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            driver.advance(CHECK);
            for (StatusChange change : driver.events()) {
                assertEquals(Status.OFFLINE, change.status());
                assertNull(offlineAt.put(change.deviceId(), change.changedAt()), "reported offline twice");
                assertEquals(ms(driver.now()), change.detectedAt(), "found at the check at its deadline");
            }
        }
        assertEquals(
                Map.of("clamped", ms(START) + 1_000,
                        "own", ms(START) + 2_000,
                        "plain", ms(START) + TIMEOUT.toMillis(),
                        "typed", ms(START) + THERMOSTAT_TIMEOUT.toMillis()),
                offlineAt);
        assertEquals(1_000, driver.states().get("clamped").timeoutMs());
    }

    @Test
    void shorterTimeoutFromALaterHeartbeatTakesEffectAtOnce() {
        driver.beat("sensor-42", "{\"deviceType\":\"thermostat\"}");
        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-42", "{\"timeoutMs\":1500}");
        driver.events();

        assertEquals(Map.of("sensor-42", List.of(ms(driver.now()) + 1_500)), driver.timerIndex(), "re-filed earlier");
        driver.advance(Duration.ofMillis(1_500));
        StatusChange change = driver.onlyEvent();
        assertEquals(Reason.TIMEOUT, change.reason());
        assertEquals(ms(driver.now()), change.changedAt());
        assertEquals(1_500, change.timeoutMs());
    }

    // --- groups --------------------------------------------------------------------------------

    @Test
    @DisplayName("the latest heartbeat's group holds until another heartbeat changes it, and every event carries it")
    void latestGroupHoldsAndIsOnTheEvents() {
        driver.beat("sensor-42", "{\"deviceType\":\"thermostat\",\"group\":\"site-7\"}");
        StatusChange first = driver.onlyEvent();
        assertEquals("site-7", first.group());
        assertEquals("thermostat", first.deviceType());

        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-42", "");
        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-42", "{\"group\":null,\"temp\":21.5}");
        assertEquals("site-7", driver.states().get("sensor-42").group(), "no group, or a null one, keeps the group");
        assertEquals("thermostat", driver.states().get("sensor-42").deviceType());

        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-42", "{\"group\":\"site-8\"}");
        assertEquals(List.of(), driver.events(), "a new group is no transition");
        assertEquals("site-8", driver.states().get("sensor-42").group());
        assertEquals("thermostat", driver.states().get("sensor-42").deviceType(), "a group leaves the type alone");

        driver.advance(THERMOSTAT_TIMEOUT);
        StatusChange offline = driver.onlyEvent();
        assertEquals(Reason.TIMEOUT, offline.reason());
        assertEquals("site-8", offline.group());

        driver.beat("sensor-42", "");
        StatusChange resumed = driver.onlyEvent();
        assertEquals(Reason.HEARTBEAT_RESUMED, resumed.reason());
        assertEquals("site-8", resumed.group());
        assertEquals("site-8", driver.states().get("sensor-42").group());
    }

    @Test
    void devicesWithoutAGroupHaveNoneOnTheirEvents() {
        driver.beat("sensor-42", "{\"deviceType\":\"thermostat\"}");
        assertNull(driver.onlyEvent().group());
        assertNull(driver.states().get("sensor-42").group());
    }

    @Test
    @DisplayName("an oversized or non-string group is a dead letter (INVALID_FIELD) and leaves the device alone")
    void badGroupIsDeadLettered() {
        driver.beat("sensor-42", "{\"group\":\"site-7\"}");
        driver.events();
        DeviceState before = driver.states().get("sensor-42");

        driver.advance(Duration.ofSeconds(1));
        String oversized = "{\"group\":\"" + "g".repeat(HeartbeatParser.MAX_GROUP_CHARS + 1) + "\"}";
        driver.beat("sensor-42", oversized);
        driver.beat("sensor-42", "{\"group\":7}");
        driver.beat("new-device", "{\"group\":[\"site-7\"]}");

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters().readRecordsToList();
        assertEquals(List.of("INVALID_FIELD", "INVALID_FIELD", "INVALID_FIELD"),
                dead.stream().map(r -> header(r.headers(), DeadLetterHeaders.ERROR_CODE)).toList());
        assertEquals("group is longer than 128 characters", header(dead.get(0).headers(), DeadLetterHeaders.ERROR_MESSAGE));
        assertArrayEquals(utf8(oversized), dead.get(0).value(), "unchanged");
        assertEquals("group must be a string", header(dead.get(1).headers(), DeadLetterHeaders.ERROR_MESSAGE));
        assertEquals(before, driver.states().get("sensor-42"));
        assertNull(driver.states().get("new-device"));
        assertEquals(List.of(), driver.events());
    }

    // --- bad records ---------------------------------------------------------------------------

    @Test
    void emptyValueAndEmptyObjectAreValidHeartbeats() {
        driver.beat("empty", "");
        driver.beat("null-value", null);
        driver.beat("braces", "{}");
        driver.beat("json-null", "null");

        assertEquals(Set.of("empty", "null-value", "braces", "json-null"),
                new HashSet<>(driver.events().stream().map(StatusChange::deviceId).toList()));
        assertTrue(driver.deadLetters().isEmpty());
        assertEquals(4, driver.count(Status.ONLINE));
    }

    @Test
    @DisplayName("bad records go to heartbeats-dlq unchanged, with headers saying why, and processing goes on")
    void badRecordsAreDeadLetteredAndProcessingGoesOn() {
        driver.beat("good-1", "");
        driver.events();

        Headers original = new RecordHeaders().add("trace-id", utf8("abc-123"));
        long invalidOffset = driver.nextOffset();
        Instant invalidTime = driver.now().minusMillis(5);
        driver.pipe(new TestRecord<>(utf8("sensor-1"), utf8("not json {"), original, invalidTime));
        long soonOffset = driver.nextOffset();
        driver.beat("sensor-2", "{\"timeoutMs\":\"soon\"}");

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters().readRecordsToList();
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

        assertEquals(List.of(), driver.events(), "bad records cause no transition");
        assertNull(driver.states().get("sensor-1"));
        assertNull(driver.states().get("sensor-2"));

        driver.beat("good-2", "{\"deviceType\":\"thermostat\"}");
        StatusChange change = driver.onlyEvent();
        assertEquals("good-2", change.deviceId());
        assertEquals(Reason.FIRST_HEARTBEAT, change.reason());
        assertEquals(2, driver.count(Status.ONLINE));
        assertEquals(2.0, deadLetteredTotal());
    }

    @Test
    void badRecordOfAKnownDeviceDoesNotTouchItsState() {
        driver.beat("sensor-42", "");
        DeviceState before = driver.states().get("sensor-42");
        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-42", "{\"deviceId\":\"sensor-43\"}");
        driver.beat("sensor-42", "[1,2,3]");

        List<String> codes = driver.deadLetters().readRecordsToList().stream()
                .map(r -> header(r.headers(), DeadLetterHeaders.ERROR_CODE)).toList();
        assertEquals(List.of("DEVICE_ID_MISMATCH", "NOT_AN_OBJECT"), codes);
        assertEquals(before, driver.states().get("sensor-42"));
    }

    @Test
    void recordWithoutAKeyIsDeadLettered() {
        driver.pipe(new TestRecord<>(null, utf8("{}"), driver.now()));
        driver.pipe(new TestRecord<>(utf8("bad\nid"), utf8("{}"), driver.now()));

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters().readRecordsToList();
        assertEquals(List.of("MISSING_KEY", "INVALID_KEY"),
                dead.stream().map(r -> header(r.headers(), DeadLetterHeaders.ERROR_CODE)).toList());
        assertNull(dead.get(0).key());
        assertTrue(driver.status().isEmpty());
        assertEquals(0, driver.count(Status.ONLINE));
    }

    private double deadLetteredTotal() {
        return driver.metric("dead-lettered-records-total");
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
        driver.pipe(batch.stream().map(kv -> new TestRecord<>(kv.key, kv.value, driver.now())).toList());
        assertEquals(devices, driver.events().size());
        Map<String, List<Long>> filedFirst = driver.timerIndex();

        driver.advance(Duration.ofSeconds(2));
        driver.pipe(batch.stream().map(kv -> new TestRecord<>(kv.key, kv.value, driver.now())).toList());
        driver.advanceTo(START.plus(TIMEOUT).minus(CHECK)); // the first filings are not due yet

        assertEquals(List.of(), driver.events());
        Map<String, List<Long>> filings = driver.timerIndex();
        assertEquals(devices, filings.size());
        for (int i = 0; i < devices; i++) {
            String id = "device-" + i;
            assertEquals(List.of(ms(START.plus(TIMEOUT))), filings.get(id), id);
            DeviceState state = driver.states().get(id);
            assertEquals(ms(START.plus(TIMEOUT)), state.timerAt(), "filing stays lazy");
            assertEquals(ms(START.plusSeconds(2)), state.lastSeen());
        }
        assertEquals(filedFirst, filings, "the second round of heartbeats did not re-file anyone");
        assertEquals(devices, driver.count(Status.ONLINE));

        // The first filings fire now: everyone was heard from since, so each re-arms once and stays online.
        driver.advanceTo(START.plus(TIMEOUT));
        assertEquals(List.of(), driver.events());
        Map<String, List<Long>> rearmed = driver.timerIndex();
        assertEquals(devices, rearmed.size());
        rearmed.values().forEach(deadlines -> assertEquals(List.of(ms(START.plusSeconds(2).plus(TIMEOUT))), deadlines));
    }

    @Test
    @DisplayName("more due devices than one batch (DUE_BATCH) all go offline in a single check, each once")
    void manyDueDevicesGoOfflineInOneCheck() {
        int devices = 2 * DetectorProcessor.DUE_BATCH + 5_000;
        List<TestRecord<byte[], byte[]>> batch = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            batch.add(new TestRecord<>(utf8("device-" + i), new byte[0], driver.now()));
        }
        driver.pipe(batch);
        assertEquals(devices, driver.events().size());

        driver.advanceTo(START.plus(TIMEOUT).minus(CHECK));
        assertEquals(List.of(), driver.events());

        driver.advanceWallClockTime(CHECK); // one single check

        List<StatusChange> offline = driver.events();
        assertEquals(devices, offline.size());
        Set<String> ids = new HashSet<>();
        for (StatusChange change : offline) {
            assertEquals(Status.OFFLINE, change.status());
            assertEquals(ms(START.plus(TIMEOUT)), change.changedAt());
            assertEquals(2, change.sequence());
            assertTrue(ids.add(change.deviceId()), () -> change.deviceId() + " reported twice");
        }
        assertEquals(devices, driver.count(Status.OFFLINE));
        assertEquals(0, driver.count(Status.ONLINE));
        assertEquals(Map.of(), driver.timerIndex());

        driver.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), driver.events(), "nothing more to report");
    }
}
