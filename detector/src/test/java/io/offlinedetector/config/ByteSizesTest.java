package io.offlinedetector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void parsesPlainBytesAndBinaryUnitsCaseInsensitively() {
        assertEquals(1_048_576L, ByteSizes.parse("1048576"));
        assertEquals(512L, ByteSizes.parse("512B"));
        assertEquals(2048L, ByteSizes.parse("2KiB"));
        assertEquals(256L << 20, ByteSizes.parse("256MiB"));
        assertEquals(256L << 20, ByteSizes.parse(" 256 mb "));
        assertEquals(3L << 30, ByteSizes.parse("3g"));
    }

    @Test
    void refusesWhatIsNotASize() {
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("MiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("1.5GiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("10TiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("9999999999999GiB"));
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertEquals("256MiB", ByteSizes.format(256L << 20));
        assertEquals("1GiB", ByteSizes.format(1L << 30));
        assertEquals("3KiB", ByteSizes.format(3072));
        assertEquals("1000B", ByteSizes.format(1000));
    }
}
