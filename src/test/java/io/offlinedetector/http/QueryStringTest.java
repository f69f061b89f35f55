package io.offlinedetector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void noQueryIsNoParameters() {
        assertTrue(QueryString.parse(null).isEmpty());
        assertTrue(QueryString.parse("").isEmpty());
        assertTrue(QueryString.parse("&&").isEmpty());
    }

    @Test
    void parsesNamesAndValues() {
        assertEquals(Map.of("status", "OFFLINE", "limit", "100", "after", "sensor-9"),
                QueryString.parse("status=OFFLINE&limit=100&after=sensor-9"));
    }

    @Test
    void firstOfRepeatedNamesWins() {
        assertEquals(Map.of("limit", "1"), QueryString.parse("limit=1&limit=2&limit=3"));
    }

    @Test
    void nameWithoutValueHasAnEmptyValue() {
        assertEquals(Map.of("status", "", "limit", ""), QueryString.parse("status&limit="));
    }

    @Test
    void emptyPairsAreSkipped() {
        assertEquals(Map.of("a", "1", "b", "2"), QueryString.parse("&a=1&&b=2&"));
    }

    @Test
    void onlyTheFirstEqualsSeparatesNameFromValue() {
        assertEquals(Map.of("after", "k=v=w"), QueryString.parse("after=k=v=w"));
    }

    @Test
    void namesAndValuesAreFormDecoded() {
        assertEquals(Map.of("after", "a b"), QueryString.parse("after=a+b"));
        assertEquals(Map.of("after", "a+b"), QueryString.parse("after=a%2Bb"));
        assertEquals(Map.of("after", "温度/€&x=y"), QueryString.parse("after=%E6%B8%A9%E5%BA%A6%2F%E2%82%AC%26x%3Dy"));
        assertEquals(Map.of("status", "ONLINE"), QueryString.parse("st%61tus=ONLINE"));
    }

    @Test
    void malformedEncodingIs400() {
        assertEquals(400, assertThrows(ApiException.class, () -> QueryString.parse("after=%zz")).status());
        assertEquals(400, assertThrows(ApiException.class, () -> QueryString.parse("after=%ff")).status());
        assertEquals(400, assertThrows(ApiException.class, () -> QueryString.parse("%=x")).status());
    }
}
