package io.offlinedetector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PercentDecodingTest {

    @Test
    void textWithoutEscapesIsReturnedAsIs() {
        String plain = "sensor-42";
        assertSame(plain, PercentDecoding.decode(plain, false));
        assertSame(plain, PercentDecoding.decode(plain, true));
        assertEquals("", PercentDecoding.decode("", false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%41|A",
            "a%20b|a b",
            "%c3%bc|ü",
            "%C3%BC|ü",
            "%E6%B8%A9%E5%BA%A6|温度",
            "%F0%9F%98%80|😀",
            "a%2Fb|a/b",
            "100%25|100%",
            "a%2Bb|a+b",
            "ü%20x|ü x",
            "温%20度|温 度",
            "😀%2B😀|😀+😀"})
    void decodesPercentEncodedUtf8(String raw, String decoded) {
        assertEquals(decoded, PercentDecoding.decode(raw, false));
        assertEquals(decoded, PercentDecoding.decode(raw, true));
    }

    @Test
    void plusIsASpaceOnlyInQueryStrings() {
        assertEquals("a+b", PercentDecoding.decode("a+b", false));
        assertEquals("a b", PercentDecoding.decode("a+b", true));
        assertEquals("  x", PercentDecoding.decode("++x", true));
        assertEquals("a b+c", PercentDecoding.decode("a+b%2Bc", true));
        assertEquals("a+b+c", PercentDecoding.decode("a+b%2Bc", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "abc%", "%4", "abc%4", "%zz", "%g1", "%1g", "a%%41", "%-1", "% 1", "%+1"})
    void malformedEscapesAre400(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> PercentDecoding.decode(raw, false));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("malformed percent-encoding"), e.getMessage());
        assertThrows(ApiException.class, () -> PercentDecoding.decode(raw, true));
    }

    /** Character.digit accepts any Unicode digit or fullwidth letter; an escape takes ASCII hex only. */
    @ParameterizedTest
    @ValueSource(strings = {"%\u0663\u0663", "%\uFF21\uFF21", "%4\u0661", "%\u0664\u0661"})
    void escapesTakeOnlyAsciiHexDigits(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> PercentDecoding.decode(raw, false));
        assertEquals(400, e.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%ff", "%FE", "a%C3", "%C3%28", "%C0%AF", "%E2%82", "%ED%A0%80", "%F4%90%80%80", "%80"})
    void bytesThatAreNotUtf8Are400(String raw) {
        ApiException e = assertThrows(ApiException.class, () -> PercentDecoding.decode(raw, false));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void errorMessagesStayShortForLongInput() {
        String raw = "x".repeat(5000) + "%zz";
        ApiException e = assertThrows(ApiException.class, () -> PercentDecoding.decode(raw, false));
        assertTrue(e.getMessage().length() < 200, "message length " + e.getMessage().length());
        assertFalse(e.getMessage().contains("\n"));
    }
}
