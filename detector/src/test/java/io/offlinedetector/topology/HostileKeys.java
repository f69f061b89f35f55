package io.offlinedetector.topology;

import io.offlinedetector.topology.Expected.Generated;
import io.offlinedetector.topology.Rejection.Code;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Record keys of every kind a producer can send: valid device ids (mostly from a fixed pool, so that
 * devices repeat, go offline and resume), and null, empty, oversized, invalid UTF-8, control
 * characters and plain random bytes.
 */
final class HostileKeys {

    private static final int POOL_SIZE = 300;
    /** Byte sequences that no strict UTF-8 decoder accepts: stray, overlong, surrogate, 5-byte, truncated. */
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xff}, {(byte) 0xc3, 0x28}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};
    /** C0 and C1 controls and DEL: all of them {@link Character#isISOControl}. */
    private static final char[] CONTROLS = {'\0', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f'};

    private final Random random;
    private final List<String> pool = new ArrayList<>();

    HostileKeys(Random random) {
        this.random = random;
        for (int i = 0; i < POOL_SIZE; i++) {
            pool.add(validId(1 + random.nextInt(40)));
        }
    }

    Generated next() {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return valid("pooled id", pool.get(random.nextInt(pool.size())));
        }
        if (roll < 65) {
            return valid("fresh id", validId(1 + random.nextInt(DeviceIds.MAX_BYTES)));
        }
        if (roll < 68) {
            return new Generated("null key", null, Expected.deadLetter(Code.MISSING_KEY));
        }
        if (roll < 71) {
            return new Generated("empty key", new byte[0], Expected.deadLetter(Code.MISSING_KEY));
        }
        if (roll < 76) {
            if (random.nextInt(50) == 0) {
                return invalid("100 KB key", utf8("é".repeat(50_000)));
            }
            int bytes = DeviceIds.MAX_BYTES + 1 + random.nextInt(300);
            return invalid("oversized key", utf8(validId(bytes, bytes)));
        }
        if (roll < 84) {
            return invalid("invalid UTF-8 key", withInvalidUtf8(validId(1 + random.nextInt(100))));
        }
        if (roll < 90) {
            String id = validId(1 + random.nextInt(100));
            int at = random.nextInt(id.length() + 1);
            return invalid("control character in key", utf8(id.substring(0, at) + CONTROLS[random.nextInt(CONTROLS.length)] + id.substring(at)));
        }
        byte[] bytes = new byte[1 + random.nextInt(250)];
        random.nextBytes(bytes);
        return new Generated("random key bytes", bytes, Expected.EITHER);
    }

    /** A valid id of at least one char and at most {@code maxBytes} UTF-8 bytes. */
    String validId(int maxBytes) {
        return validId(1, maxBytes);
    }

    /** Printable ASCII (quotes and backslashes included), accents, CJK and emoji; never a control character. */
    private String validId(int minBytes, int maxBytes) {
        StringBuilder id = new StringBuilder();
        int bytes = 0;
        while (bytes < minBytes || (bytes < maxBytes && random.nextInt(8) != 0)) {
            String next = switch (random.nextInt(6)) {
                case 0 -> String.valueOf((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> String.valueOf((char) (0xa0 + random.nextInt(0x1f00)));
                case 2 -> String.valueOf((char) (0x4e00 + random.nextInt(0x5000)));
                case 3 -> new String(Character.toChars(0x1f300 + random.nextInt(0x300)));
                default -> String.valueOf((char) ('a' + random.nextInt(26)));
            };
            int length = utf8(next).length;
            if (bytes + length > maxBytes && bytes >= minBytes) {
                break;
            }
            id.append(next);
            bytes += length;
        }
        return id.toString();
    }

    private byte[] withInvalidUtf8(String id) {
        byte[] valid = utf8(id);
        int at = random.nextInt(valid.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, at);
        out.writeBytes(INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
        out.write(valid, at, valid.length - at);
        return out.toByteArray();
    }

    private static Generated valid(String kind, String id) {
        return new Generated(kind, utf8(id), Expected.HEARTBEAT);
    }

    private static Generated invalid(String kind, byte[] bytes) {
        return new Generated(kind, bytes, Expected.deadLetter(Code.INVALID_KEY));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
