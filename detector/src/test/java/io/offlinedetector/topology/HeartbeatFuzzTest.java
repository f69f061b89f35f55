package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.testing.FuzzSeed;
import io.offlinedetector.topology.Expected.Generated;
import io.offlinedetector.topology.Expected.Verdict;
import io.offlinedetector.topology.Rejection.Code;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input through the production topology: random bytes and random JSON, random keys and
 * headers, timestamps from 1970 to the end of time. Each record must become exactly one of a
 * heartbeat (the device has state, nothing dead-lettered) or a dead letter (on
 * {@code heartbeats-dlq}, unchanged, with one {@code od.error.code}); none is lost and no exception
 * escapes. Records whose fate is fixed by construction must meet it, with the expected code.
 *
 * <p>The driver runs without Kafka Streams' processing-exception handler (the default fails), so
 * an exception anywhere in the processor or a punctuation fails the test instead of being
 * dead-lettered by the production safety net.
 *
 * <p>The seed is fixed unless {@code -Dfuzz.seed=random} asks for a new one ({@link FuzzSeed}); a
 * failure names it. Re-run one with {@code -Dfuzz.seed=<seed>}.
 * The count can be raised with {@code -Dfuzz.records=<n>}; the time budget still bounds the run.
 */
class HeartbeatFuzzTest {

    private static final int RECORDS = Integer.getInteger("fuzz.records", 20_000);
    private static final long FIXED_SEED = 20261122L;
    /**
     * Stops generating early on a slow machine; whatever ran is still checked in full. The driver
     * commits, and so flushes RocksDB, after every record: about 1 ms each on two cores.
     */
    private static final Duration BUDGET = Duration.ofSeconds(40);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(4_000, 1_000, Duration.ofHours(1).toMillis(), Map.of("thermostat", 10_000L)),
            CHECK,
            Duration.ofMinutes(1));
    private static final String FALLBACK_ID = "sensor-1";

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @DisplayName("random bytes and random JSON: every record becomes a heartbeat or a dead letter, none is lost, nothing throws")
    void everyHostileRecordBecomesAHeartbeatOrADeadLetter() {
        long seed = FuzzSeed.get(FIXED_SEED);
        Random random = new Random(seed);
        HostileKeys keys = new HostileKeys(random);
        HostileValues values = new HostileValues(random);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int sent = 0;
        int processed = 0;
        Map<Code, Integer> deadLettered = new EnumMap<>(Code.class);
        while (sent < RECORDS && System.nanoTime() < deadline) {
            Generated key = keys.next();
            Generated value = values.next(key.expected().verdict() == Verdict.HEARTBEAT
                    ? new String(key.bytes(), StandardCharsets.UTF_8) : FALLBACK_ID);
            long timestamp = timestamp(random);
            Headers headers = headers(random);
            try {
                driver.pipe(new TestRecord<>(key.bytes(), value.bytes(), headers, timestamp));
                sent++;
                Code code = outcome(key, value, headers);
                if (code == null) {
                    processed++;
                } else {
                    deadLettered.merge(code, 1, Integer::sum);
                }
                if (random.nextInt(100) == 0) {
                    advanceWallClock(Duration.ofMillis(random.nextInt(6_000)));
                }
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("heartbeat fuzz failed at record " + sent + " with seed " + seed
                        + " (re-run: mvn test -Dtest=HeartbeatFuzzTest -Dfuzz.seed=" + seed + ")\n"
                        + describe(key, value, timestamp), e);
            }
        }
        int dead = deadLettered.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(sent, processed + dead, "seed " + seed + ": every record is a heartbeat or a dead letter");
        assertTrue(processed > 0 && dead > 0, "seed " + seed + ": both outcomes were exercised");
        assertTrue(driver.deadLetters().isEmpty(), "seed " + seed + ": no dead letter without a record");
        System.out.printf("heartbeat fuzz, seed %d: %d records, %d heartbeats, %d dead letters %s%n",
                seed, sent, processed, dead, deadLettered);
    }

    /**
     * Checks what became of the record just piped.
     *
     * @return the dead letter's code, or null when it became a heartbeat
     */
    private Code outcome(Generated key, Generated value, Headers sentHeaders) {
        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters().readRecordsToList();
        Expected expected = expected(key, value);
        if (dead.isEmpty()) {
            assertNotEquals(Verdict.DEAD_LETTER, expected.verdict(), "expected a dead letter " + expected);
            String deviceId = DeviceIds.decode(key.bytes()); // no dead letter: the key must be a device id
            assertNotNull(driver.states().get(deviceId), "a heartbeat leaves the device's state");
            return null;
        }
        assertEquals(1, dead.size(), "one record, at most one dead letter");
        TestRecord<byte[], byte[]> letter = dead.get(0);
        assertArrayEquals(key.bytes(), letter.key(), "the key is dead-lettered unchanged");
        assertArrayEquals(value.bytes(), letter.value(), "the value is dead-lettered unchanged");
        Header[] codes = letter.headers().toArray();
        long codeHeaders = Arrays.stream(codes).filter(h -> h.key().equals(DeadLetterHeaders.ERROR_CODE)).count();
        assertEquals(1, codeHeaders, "exactly one " + DeadLetterHeaders.ERROR_CODE + " header");
        for (Header header : sentHeaders) {
            if (!header.key().startsWith("od.")) {
                assertTrue(Arrays.asList(codes).contains(header), "the record's own headers are kept: " + header.key());
            }
        }
        Code code = Code.valueOf(utf8(letter.headers().lastHeader(DeadLetterHeaders.ERROR_CODE).value()));
        Header message = letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE);
        assertNotNull(message, "a dead letter says why");
        String why = code + " (" + utf8(message.value()) + ")";
        assertNotEquals(Verdict.HEARTBEAT, expected.verdict(), "expected a heartbeat, got " + why);
        if (expected.code() != null) {
            assertEquals(expected.code(), code, "dead-letter code: " + why);
        }
        return code;
    }

    /** The key decides first: a record with a bad key is dead-lettered whatever its value. */
    private static Expected expected(Generated key, Generated value) {
        return switch (key.expected().verdict()) {
            case DEAD_LETTER, EITHER -> key.expected();
            case HEARTBEAT -> value.expected();
        };
    }

    /** Mostly around now, but also 1970, the far future and the end of time. */
    private long timestamp(Random random) {
        long wall = driver.now().toEpochMilli();
        long hour = Duration.ofHours(1).toMillis();
        return switch (random.nextInt(10)) {
            case 0 -> random.nextBoolean() ? 0 : Long.MAX_VALUE;
            case 1 -> random.nextLong(wall);
            case 2 -> wall + hour + random.nextLong(Long.MAX_VALUE - wall - hour);
            default -> wall - random.nextInt(600_000) + random.nextInt(30_000);
        };
    }

    /** Sometimes headers of the sender's own, including a forged dead-letter code. */
    private static Headers headers(Random random) {
        RecordHeaders headers = new RecordHeaders();
        if (random.nextInt(10) == 0) {
            headers.add("trace-id", Long.toHexString(random.nextLong()).getBytes(StandardCharsets.UTF_8));
            headers.add("", null);
            headers.add(DeadLetterHeaders.ERROR_CODE, "FORGED".getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /** Runs every check due up to the new time, reading back (and so checking) the events each one published. */
    private void advanceWallClock(Duration by) {
        driver.advance(by);
        driver.events();
    }

    private static String describe(Generated key, Generated value, long timestamp) {
        return "key (" + key.kind() + "): " + preview(key.bytes()) + "\nvalue (" + value.kind() + "): " + preview(value.bytes())
                + "\ntimestamp: " + timestamp;
    }

    private static String preview(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        // As text for reading, as hex for the bytes that text cannot show.
        String text = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.UTF_8);
        StringBuilder shown = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0xfffd) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        int hex = Math.min(bytes.length, 64);
        return bytes.length + " bytes: " + shown + (bytes.length > 400 ? "…" : "")
                + "\n  hex: " + HexFormat.of().formatHex(bytes, 0, hex) + (hex < bytes.length ? "…" : "");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
