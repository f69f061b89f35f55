package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code device-status} event format of docs/design.md, 'Status events'. */
class StatusChangeJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    /** The example event of docs/design.md, 'Status events'. */
    private static final StatusChange DOCUMENTED_EXAMPLE = new StatusChange(
            "sensor-42",
            Status.OFFLINE,
            Status.ONLINE,
            ms("2026-11-21T20:10:00Z"),
            ms("2026-11-21T20:10:00.412Z"),
            ms("2026-11-21T20:00:00Z"),
            600_000,
            "thermostat",
            "site-7",
            Reason.TIMEOUT,
            7, false);

    private static JsonNode tree(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    @Test
    @DisplayName("writes the documented example event with exactly its field names and ISO-8601 UTC times")
    void writesTheSpecExample() throws IOException {
        JsonNode expected = tree(("{\"deviceId\":\"sensor-42\",\"status\":\"OFFLINE\",\"previousStatus\":\"ONLINE\","
                        + "\"changedAt\":\"2026-11-21T20:10:00Z\",\"detectedAt\":\"2026-11-21T20:10:00.412Z\","
                        + "\"lastSeen\":\"2026-11-21T20:00:00Z\",\"timeoutMs\":600000,\"deviceType\":\"thermostat\","
                        + "\"group\":\"site-7\",\"reason\":\"TIMEOUT\",\"sequence\":7,\"flapping\":false}")
                .getBytes(StandardCharsets.UTF_8));

        byte[] written = StatusChangeJson.write(DOCUMENTED_EXAMPLE);

        assertEquals(expected, tree(written));
        String text = new String(written, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"changedAt\":\"2026-11-21T20:10:00Z\""), text);
        assertTrue(text.contains("\"detectedAt\":\"2026-11-21T20:10:00.412Z\""), text);
        assertTrue(text.contains("\"lastSeen\":\"2026-11-21T20:00:00Z\""), text);
        assertTrue(text.contains("\"timeoutMs\":600000"), text);
        assertTrue(text.contains("\"sequence\":7"), text);
    }

    @Test
    void writesTheFieldsInTheSpecsOrder() throws IOException {
        List<String> names = new ArrayList<>();
        tree(StatusChangeJson.write(DOCUMENTED_EXAMPLE)).fieldNames().forEachRemaining(names::add);
        assertEquals(
                List.of("deviceId", "status", "previousStatus", "changedAt", "detectedAt", "lastSeen", "timeoutMs",
                        "deviceType", "group", "reason", "sequence", "flapping"),
                names);
    }

    @Test
    @DisplayName("reading passes over nested values whole: an unknown field's, or one where a known field's value belongs")
    void nestedValuesAreSkippedWhole() {
        String event = new String(StatusChangeJson.write(DOCUMENTED_EXAMPLE), StandardCharsets.UTF_8);
        String withExtra = event.replace("{\"deviceId\"", "{\"extra\":{\"status\":\"ONLINE\",\"list\":[1,{\"reason\":\"X\"}]},\"deviceId\"");
        assertEquals(DOCUMENTED_EXAMPLE, StatusChangeJson.read(withExtra.getBytes(StandardCharsets.UTF_8)));

        String nestedId = "{\"deviceId\":{\"deviceId\":\"x\"}," + event.substring(event.indexOf("\"status\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusChangeJson.read(nestedId.getBytes(StandardCharsets.UTF_8)));
        assertEquals("no deviceId", e.getMessage());
    }

    @Test
    void roundTripsTheSpecExample() {
        assertEquals(DOCUMENTED_EXAMPLE, StatusChangeJson.read(StatusChangeJson.write(DOCUMENTED_EXAMPLE)));
    }

    @Test
    void roundTripsAFirstHeartbeatWithoutATypeAndWithUnicodeId() throws IOException {
        StatusChange change = new StatusChange(
                "capteur \"é\" 温度\\1",
                Status.ONLINE,
                Status.UNKNOWN,
                ms("2026-01-01T00:00:00.001Z"),
                ms("2026-01-01T00:00:00.250Z"),
                ms("2026-01-01T00:00:00.001Z"),
                300_000,
                null,
                null,
                Reason.FIRST_HEARTBEAT,
                1, false);

        byte[] written = StatusChangeJson.write(change);

        assertEquals(change, StatusChangeJson.read(written));
        JsonNode node = tree(written);
        assertEquals("UNKNOWN", node.get("previousStatus").asText());
        assertEquals("2026-01-01T00:00:00.001Z", node.get("changedAt").asText());
        assertTrue(!node.has("deviceType") || node.get("deviceType").isNull(), node.toString());
        assertTrue(node.has("group") && node.get("group").isNull(), "no group is written as null: " + node);
    }

    @Test
    void roundTripsAUnicodeGroupOfMaximumLength() {
        String group = "温度計 site-\"é\"-🌡!".repeat(HeartbeatParser.MAX_GROUP_CHARS / 16); // 16 UTF-16 units each
        assertEquals(HeartbeatParser.MAX_GROUP_CHARS, group.length());
        StatusChange change = new StatusChange("d", Status.ONLINE, Status.OFFLINE, 1_000, 2_000, 1_000, 5_000, null, group,
                Reason.HEARTBEAT_RESUMED, 3, false);
        assertEquals(change, StatusChangeJson.read(StatusChangeJson.write(change)));
    }

    @Test
    @DisplayName("events written before groups, without a group field, read as events without a group")
    void readsEventsWithoutAGroup() {
        String before = "{\"deviceId\":\"sensor-42\",\"status\":\"OFFLINE\",\"previousStatus\":\"ONLINE\","
                + "\"changedAt\":\"2026-11-21T20:10:00Z\",\"detectedAt\":\"2026-11-21T20:10:00.412Z\","
                + "\"lastSeen\":\"2026-11-21T20:00:00Z\",\"timeoutMs\":600000,\"deviceType\":\"thermostat\","
                + "\"reason\":\"TIMEOUT\",\"sequence\":7}";
        StatusChange change = StatusChangeJson.read(before.getBytes(StandardCharsets.UTF_8));
        assertNull(change.group());
        assertEquals(new StatusChange("sensor-42", Status.OFFLINE, Status.ONLINE, ms("2026-11-21T20:10:00Z"), ms("2026-11-21T20:10:00.412Z"),
                ms("2026-11-21T20:00:00Z"), 600_000, "thermostat", null, Reason.TIMEOUT, 7, false), change);
    }

    @Test
    void readsANullGroupAsNone() {
        String event = new String(StatusChangeJson.write(DOCUMENTED_EXAMPLE), StandardCharsets.UTF_8).replace("\"site-7\"", "null");
        assertNull(StatusChangeJson.read(event.getBytes(StandardCharsets.UTF_8)).group());
    }

    @Test
    void everyStatusAndReasonRoundTrips() {
        Set<String> seen = new TreeSet<>();
        for (Status status : Status.values()) {
            for (Status previous : Status.values()) {
                for (Reason reason : Reason.values()) {
                    StatusChange change = new StatusChange("d", status, previous, 1_000, 2_000, 500, 1_000, "t", "g", reason, 3, false);
                    assertEquals(change, StatusChangeJson.read(StatusChangeJson.write(change)));
                    seen.add(status + "/" + previous + "/" + reason);
                }
            }
        }
        assertEquals(Status.values().length * Status.values().length * Reason.values().length, seen.size());
    }

    @Test
    @DisplayName("any text in the string fields reads back as written: quotes, backslashes, control characters, every plane")
    void stringFieldsOfAnyTextReadBackAsWritten() throws IOException {
        String[] pieces = {"\"", "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001F", "\u007F", "/", "a", "Z", "9", " ",
            "é", "ß", "\u07FF", "\u0800", "温度", "\uFFFD", "\uFFFF", "🌡", "\uD834\uDD1E"};
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            StatusChange change = new StatusChange(text.toString(), Status.ONLINE, Status.UNKNOWN, 1_000, 2_000, 1_000, 5_000,
                    text.reverse().toString(), text.toString(), Reason.FIRST_HEARTBEAT, 1, false);
            byte[] written = StatusChangeJson.write(change);

            assertEquals(change, StatusChangeJson.read(written));
            assertEquals(change.deviceId(), tree(written).get("deviceId").asText(), "a strict reader reads the same");
        }
    }

    @Test
    void timesAreUtcWithMillisecondsOnlyWhenThereAreAny() {
        assertEquals("2026-11-21T20:10:00Z", StatusChangeJson.iso(ms("2026-11-21T20:10:00Z")));
        assertEquals("2026-11-21T20:10:00.412Z", StatusChangeJson.iso(ms("2026-11-21T20:10:00.412Z")));
        assertEquals("1970-01-01T00:00:00Z", StatusChangeJson.iso(0));
    }
}
