package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.Heartbeat;
import io.offlinedetector.topology.HeartbeatParser.Parsed;
import io.offlinedetector.topology.Rejection.Code;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The input contract of docs/design.md, 'Heartbeats'. */
class HeartbeatParserTest {

    private static final String ID = "sensor-42";
    private static final long TIME = 1_795_000_000_000L;

    private final HeartbeatParser parser = new HeartbeatParser();

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private Parsed parse(String value) {
        return parser.parse(utf8(ID), utf8(value), TIME);
    }

    private Heartbeat accepted(String value) {
        Parsed parsed = parse(value);
        assertTrue(parsed.ok(), () -> "expected " + value + " to be accepted, got " + parsed.rejection());
        assertNull(parsed.rejection());
        assertEquals(ID, parsed.heartbeat().deviceId());
        assertEquals(TIME, parsed.heartbeat().time());
        return parsed.heartbeat();
    }

    private static Rejection rejected(Parsed parsed, Code code) {
        assertFalse(parsed.ok(), () -> "expected a rejection, got " + parsed.heartbeat());
        assertNull(parsed.heartbeat());
        Rejection rejection = parsed.rejection();
        assertNotNull(rejection);
        assertEquals(code, rejection.code(), rejection::message);
        assertNotNull(rejection.message());
        assertFalse(rejection.message().isBlank());
        return rejection;
    }

    private Rejection rejected(String value, Code code) {
        return rejected(parse(value), code);
    }

    @Nested
    class BareHeartbeats {

        @Test
        void nullValueIsABareHeartbeat() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted(null));
        }

        @Test
        void emptyValueIsABareHeartbeat() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted(""));
        }

        @Test
        void emptyObjectIsABareHeartbeat() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted("{}"));
        }

        @Test
        void jsonNullIsABareHeartbeat() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted("null"));
        }

        @Test
        void surroundingWhitespaceIsAllowed() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted("  { }\n"));
            assertEquals(Heartbeat.bare(ID, TIME), accepted(" null "));
        }

        @Test
        void nullFieldsAreTheSameAsAbsentOnes() {
            assertEquals(Heartbeat.bare(ID, TIME), accepted("{\"deviceType\":null,\"group\":null,\"timeoutMs\":null,\"deviceId\":null}"));
        }
    }

    @Nested
    class RecognisedFields {

        @Test
        void readsDeviceTypeGroupTimeoutAndMatchingDeviceId() {
            Heartbeat heartbeat = accepted(
                    "{\"deviceId\":\"sensor-42\",\"deviceType\":\"thermostat\",\"group\":\"site-7\",\"timeoutMs\":600000}");
            assertEquals(new Heartbeat(ID, TIME, "thermostat", "site-7", 600_000L), heartbeat);
        }

        @Test
        void readsAGroupAlone() {
            assertEquals(new Heartbeat(ID, TIME, null, "gateway-12", null), accepted("{\"group\":\"gateway-12\"}"));
        }

        @Test
        void aNullGroupIsNoGroup() {
            assertNull(accepted("{\"group\":null,\"deviceType\":\"t\"}").group());
        }

        @Test
        void acceptsAGroupOfExactly128Characters() {
            String group = "g".repeat(128);
            assertEquals(group, accepted("{\"group\":\"" + group + "\"}").group());
        }

        @Test
        @DisplayName("a group's length is counted in characters (UTF-16 units), like a device type's")
        void acceptsAUnicodeGroupOfExactly128Characters() {
            String group = "é".repeat(64) + "温".repeat(64);
            assertEquals(group, accepted("{\"group\":\"" + group + "\"}").group());
        }

        @Test
        void acceptsAnEmptyGroup() {
            assertEquals("", accepted("{\"group\":\"\"}").group());
        }

        @Test
        void readsFieldsInAnyOrder() {
            Heartbeat heartbeat = accepted("{\"timeoutMs\":1,\"deviceType\":\"t\"}");
            assertEquals(1L, heartbeat.timeoutMs());
            assertEquals("t", heartbeat.deviceType());
        }

        @Test
        void acceptsTheLargestLongAsTimeout() {
            assertEquals(Long.MAX_VALUE, accepted("{\"timeoutMs\":" + Long.MAX_VALUE + "}").timeoutMs());
        }

        @Test
        void acceptsADeviceTypeOfExactly64Characters() {
            String type = "t".repeat(64);
            assertEquals(type, accepted("{\"deviceType\":\"" + type + "\"}").deviceType());
        }

        @Test
        void acceptsUnicodeDeviceTypeAndId() {
            Parsed parsed = parser.parse(utf8("capteur-é-温度"), utf8("{\"deviceId\":\"capteur-é-温度\",\"deviceType\":\"thermomètre\"}"), TIME);
            assertTrue(parsed.ok(), () -> String.valueOf(parsed.rejection()));
            assertEquals("capteur-é-温度", parsed.heartbeat().deviceId());
            assertEquals("thermomètre", parsed.heartbeat().deviceType());
        }

        @Test
        @DisplayName("telemetry fields are ignored, including nested objects and arrays")
        void ignoresTelemetry() {
            Heartbeat heartbeat = accepted("{\"temp\":21.5,\"on\":true,\"note\":null,"
                    + "\"data\":{\"deviceId\":\"someone-else\",\"timeoutMs\":\"soon\",\"deep\":[1,{\"x\":[]}]},"
                    + "\"readings\":[{\"deviceType\":42},[1,2,3],\"s\"],"
                    + "\"deviceType\":\"thermostat\"}");
            assertEquals(new Heartbeat(ID, TIME, "thermostat", null, null), heartbeat);
        }

        @Test
        void ignoresLargeTelemetry() {
            String big = "{\"samples\":[" + "1.25,".repeat(100_000) + "0],\"timeoutMs\":5000}";
            assertEquals(5_000L, accepted(big).timeoutMs());
        }
    }

    @Nested
    class BadValues {

        @ParameterizedTest
        @ValueSource(strings = {"not json", "{", "{\"deviceType\":", "{\"a\":1,}", "{'deviceType':'x'}", "{deviceType:1}", "[1,2", "{\"deviceType\":\"unterminated"})
        void invalidJsonIsRejected(String value) {
            rejected(value, Code.INVALID_JSON);
        }

        @Test
        void unterminatedTopLevelStringIsRejected() {
            rejected("\"unterminated", Code.INVALID_JSON);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{} x", "{}{}", "{} {\"a\":1}", "null null", "null x", "{}]", "{\"deviceType\":\"t\"} 1"})
        void trailingGarbageIsRejected(String value) {
            rejected(value, Code.INVALID_JSON);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"deviceType\":\"t\"}]", "\"heartbeat\"", "42", "1.5", "true", "false"})
        void nonObjectJsonIsRejected(String value) {
            rejected(value, Code.NOT_AN_OBJECT);
        }

        @Test
        void timeoutAsStringIsRejected() {
            Rejection rejection = rejected("{\"timeoutMs\":\"soon\"}", Code.INVALID_FIELD);
            assertTrue(rejection.message().contains("timeoutMs"), rejection.message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "-600000", "1.5", "1000.0", "1e3", "true", "[1000]", "{\"ms\":1000}"})
        void nonPositiveOrNonIntegerTimeoutIsRejected(String timeout) {
            Rejection rejection = rejected("{\"timeoutMs\":" + timeout + "}", Code.INVALID_FIELD);
            assertTrue(rejection.message().contains("timeoutMs"), rejection.message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"9223372036854775808", "99999999999999999999999999", "-9223372036854775809"})
        void timeoutBeyondLongRangeIsRejected(String timeout) {
            Rejection rejection = rejected("{\"timeoutMs\":" + timeout + "}", Code.INVALID_FIELD);
            assertTrue(rejection.message().contains("timeoutMs"), rejection.message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "[\"thermostat\"]", "{\"name\":\"thermostat\"}"})
        void nonStringDeviceTypeIsRejected(String type) {
            Rejection rejection = rejected("{\"deviceType\":" + type + "}", Code.INVALID_FIELD);
            assertTrue(rejection.message().contains("deviceType"), rejection.message());
        }

        @Test
        void deviceTypeLongerThan64CharactersIsRejected() {
            Rejection rejection = rejected("{\"deviceType\":\"" + "t".repeat(65) + "\"}", Code.INVALID_FIELD);
            assertTrue(rejection.message().contains("64"), rejection.message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "false", "[\"site-7\"]", "{\"name\":\"site-7\"}"})
        void nonStringGroupIsRejected(String group) {
            Rejection rejection = rejected("{\"group\":" + group + "}", Code.INVALID_FIELD);
            assertEquals("group must be a string", rejection.message());
        }

        @Test
        void groupLongerThan128CharactersIsRejected() {
            Rejection rejection = rejected("{\"deviceType\":\"t\",\"group\":\"" + "g".repeat(129) + "\"}", Code.INVALID_FIELD);
            assertEquals("group is longer than 128 characters", rejection.message());
            rejected("{\"group\":\"" + "温".repeat(129) + "\"}", Code.INVALID_FIELD);
        }

        @Test
        void nonStringDeviceIdIsRejected() {
            rejected("{\"deviceId\":42}", Code.INVALID_FIELD);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sensor-43", "", "SENSOR-42", "sensor-42 "})
        void deviceIdThatDiffersFromTheKeyIsRejected(String bodyId) {
            rejected("{\"deviceId\":\"" + bodyId + "\"}", Code.DEVICE_ID_MISMATCH);
        }
    }

    @Nested
    class BadKeys {

        @Test
        void missingKeyIsRejected() {
            rejected(parser.parse(null, utf8("{}"), TIME), Code.MISSING_KEY);
        }

        @Test
        void emptyKeyIsRejected() {
            rejected(parser.parse(new byte[0], null, TIME), Code.MISSING_KEY);
        }

        @Test
        void keyOfExactly200BytesIsAccepted() {
            String id = "é".repeat(100); // two bytes each
            Parsed parsed = parser.parse(utf8(id), null, TIME);
            assertTrue(parsed.ok(), () -> String.valueOf(parsed.rejection()));
            assertEquals(id, parsed.heartbeat().deviceId());
        }

        @Test
        void keyLongerThan200BytesIsRejected() {
            rejected(parser.parse(utf8("k".repeat(201)), null, TIME), Code.INVALID_KEY);
            rejected(parser.parse(utf8("é".repeat(100) + "k"), null, TIME), Code.INVALID_KEY);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sensor\n42", "sensor\t42", "\u0000", "sensor-42\u007f", "sensor\u009b42"})
        void keyWithAControlCharacterIsRejected(String key) {
            rejected(parser.parse(utf8(key), null, TIME), Code.INVALID_KEY);
        }

        @Test
        void keyThatIsNotValidUtf8IsRejected() {
            rejected(parser.parse(new byte[] {'s', (byte) 0xC3, '('}, null, TIME), Code.INVALID_KEY);
            rejected(parser.parse(new byte[] {(byte) 0xFF, (byte) 0xFE}, null, TIME), Code.INVALID_KEY);
            rejected(parser.parse(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, null, TIME), Code.INVALID_KEY); // a surrogate
        }

        @Test
        void keyIsCheckedBeforeTheValue() {
            rejected(parser.parse(null, utf8("not json"), TIME), Code.MISSING_KEY);
        }
    }

    @Nested
    class HttpDeviceIds {

        @Test
        void validIdsHaveNoProblem() {
            assertNull(DeviceIds.problem("sensor-42"));
            assertNull(DeviceIds.problem("capteur é/温度 #1"));
            assertNull(DeviceIds.problem("k".repeat(200)));
            assertNull(DeviceIds.problem("é".repeat(100)));
        }

        @Test
        void emptyOrNullIdIsAProblem() {
            assertNotNull(DeviceIds.problem(null));
            assertNotNull(DeviceIds.problem(""));
        }

        @Test
        void idLongerThan200BytesIsAProblem() {
            assertTrue(DeviceIds.problem("k".repeat(201)).contains("200"));
            assertTrue(DeviceIds.problem("é".repeat(100) + "k").contains("200"));
        }

        @Test
        void idWithAControlCharacterIsAProblem() {
            assertTrue(DeviceIds.problem("a\nb").contains("control"));
            assertTrue(DeviceIds.problem("a\u0000").contains("control"));
            assertTrue(DeviceIds.problem("\u007f").contains("control"));
        }

        @Test
        void decodeAndProblemAgree() {
            for (String id : new String[] {"sensor-42", "é".repeat(100), "温度"}) {
                assertNull(DeviceIds.problem(id));
                assertEquals(id, DeviceIds.decode(utf8(id)));
            }
        }
    }
}
