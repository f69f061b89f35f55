package io.offlinedetector.topology;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The device id rules of docs/design.md, 'Heartbeats': UTF-8, 1–200 bytes, no control characters.
 */
public final class DeviceIds {

    public static final int MAX_BYTES = 200;

    private DeviceIds() {}

    /** @return the problem with {@code id}, or {@code null} when it is a valid device id */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "device id is empty";
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "device id is longer than " + MAX_BYTES + " bytes";
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return "device id contains a control character";
            }
        }
        return null;
    }

    /**
     * Decodes a record key strictly.
     *
     * @throws IllegalArgumentException with the reason when the bytes are not a valid device id
     */
    public static String decode(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("the record has no key; the key must be the device id");
        }
        if (key.length > MAX_BYTES) {
            throw new IllegalArgumentException("device id is longer than " + MAX_BYTES + " bytes");
        }
        String id = isAscii(key) ? new String(key, StandardCharsets.US_ASCII) : decodeUtf8(key);
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new IllegalArgumentException("device id contains a control character");
            }
        }
        return id;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String decodeUtf8(byte[] key) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(key));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("device id is not valid UTF-8");
        }
    }
}
