package io.offlinedetector.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code device-status} event format of docs/design.md, 'Status events': JSON with ISO-8601 UTC
 * times.
 */
public final class StatusChangeJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusChangeJson() {}

    /**
     * Writes the event by hand, field by field into one byte array: a generator and its buffers per
     * event cost the stream thread more than the event's bytes (every new device publishes one).
     */
    public static byte[] write(StatusChange change) {
        return new Out()
                .ascii("{\"deviceId\":").string(change.deviceId())
                .ascii(",\"status\":\"").ascii(change.status().name())
                .ascii("\",\"previousStatus\":\"").ascii(change.previousStatus().name())
                .ascii("\",\"changedAt\":\"").ascii(iso(change.changedAt()))
                .ascii("\",\"detectedAt\":\"").ascii(iso(change.detectedAt()))
                .ascii("\",\"lastSeen\":\"").ascii(iso(change.lastSeen()))
                .ascii("\",\"timeoutMs\":").ascii(Long.toString(change.timeoutMs()))
                .ascii(",\"deviceType\":").string(change.deviceType())
                .ascii(",\"group\":").string(change.group())
                .ascii(",\"reason\":\"").ascii(change.reason().name())
                .ascii("\",\"sequence\":").ascii(Long.toString(change.sequence()))
                .ascii(",\"flapping\":").ascii(change.flapping() ? "true" : "false")
                .ascii("}")
                .toByteArray();
    }

    /** A JSON text being written as UTF-8. */
    private static final class Out {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private byte[] bytes = new byte[320];
        private int length;

        /** Text that needs no escaping: names, codes, numbers, times. */
        Out ascii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        /** A string value, quoted and escaped as JSON requires, or {@code null}. */
        Out string(String text) {
            if (text == null) {
                return ascii("null");
            }
            ensure(text.length() * 6 + 2); // the most one char takes: a six-byte escape
            bytes[length++] = '"';
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    bytes[length++] = '\\';
                    bytes[length++] = (byte) c;
                } else if (c < 0x20) {
                    escapeControl(c);
                } else if (c < 0x80) {
                    bytes[length++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[length++] = (byte) (0xC0 | c >> 6);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int point = Character.toCodePoint(c, text.charAt(++i));
                    bytes[length++] = (byte) (0xF0 | point >> 18);
                    bytes[length++] = (byte) (0x80 | point >> 12 & 0x3F);
                    bytes[length++] = (byte) (0x80 | point >> 6 & 0x3F);
                    bytes[length++] = (byte) (0x80 | point & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    bytes[length++] = '?'; // half a pair is no character: as String.getBytes writes it
                } else {
                    bytes[length++] = (byte) (0xE0 | c >> 12);
                    bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[length++] = (byte) (0x80 | c & 0x3F);
                }
            }
            bytes[length++] = '"';
            return this;
        }

        private void escapeControl(char c) {
            bytes[length++] = '\\';
            switch (c) {
                case '\n' -> bytes[length++] = 'n';
                case '\r' -> bytes[length++] = 'r';
                case '\t' -> bytes[length++] = 't';
                case '\b' -> bytes[length++] = 'b';
                case '\f' -> bytes[length++] = 'f';
                default -> {
                    bytes[length++] = 'u';
                    bytes[length++] = '0';
                    bytes[length++] = '0';
                    bytes[length++] = HEX[c >> 4];
                    bytes[length++] = HEX[c & 0xF];
                }
            }
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }
    }

    /**
     * Reads an event back; for consumers of the topic (the live feed, {@code watch}, the tests).
     * Field by field from the parser, not through a tree: the live feed reads every event of the
     * fleet, and a tree cost it about 6.5 KB of garbage per event. Unknown fields are skipped; the
     * optional ones ({@code deviceType}, {@code group}, {@code flapping}: events written before groups
     * or flapping have none) may be missing; a missing required one, or anything that is not an event, is an
     * {@link IllegalArgumentException}.
     */
    public static StatusChange read(byte[] bytes) {
        try (JsonParser json = JSON.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String deviceId = null;
            String status = null;
            String previousStatus = null;
            String changedAt = null;
            String detectedAt = null;
            String lastSeen = null;
            Long timeoutMs = null;
            String deviceType = null;
            String group = null;
            String reason = null;
            Long sequence = null;
            boolean flapping = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "deviceId" -> deviceId = json.getValueAsString();
                    case "status" -> status = json.getValueAsString();
                    case "previousStatus" -> previousStatus = json.getValueAsString();
                    case "changedAt" -> changedAt = json.getValueAsString();
                    case "detectedAt" -> detectedAt = json.getValueAsString();
                    case "lastSeen" -> lastSeen = json.getValueAsString();
                    case "timeoutMs" -> timeoutMs = value == JsonToken.VALUE_NULL ? null : json.getValueAsLong();
                    case "deviceType" -> deviceType = value == JsonToken.VALUE_NULL ? null : json.getValueAsString();
                    case "group" -> group = value == JsonToken.VALUE_NULL ? null : json.getValueAsString();
                    case "reason" -> reason = json.getValueAsString();
                    case "sequence" -> sequence = value == JsonToken.VALUE_NULL ? null : json.getValueAsLong();
                    case "flapping" -> flapping = value == JsonToken.VALUE_TRUE;
                    default -> { } // a field of a later version
                }
                json.skipChildren(); // an object or array where a value belongs, or an unknown field's, is passed over whole
            }
            return new StatusChange(
                    required("deviceId", deviceId),
                    Status.valueOf(required("status", status)),
                    Status.valueOf(required("previousStatus", previousStatus)),
                    IsoTimes.parse(required("changedAt", changedAt)),
                    IsoTimes.parse(required("detectedAt", detectedAt)),
                    IsoTimes.parse(required("lastSeen", lastSeen)),
                    required("timeoutMs", timeoutMs),
                    deviceType,
                    group,
                    Reason.valueOf(required("reason", reason)),
                    required("sequence", sequence),
                    flapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return value;
    }

    static String iso(long epochMillis) {
        return IsoTimes.format(epochMillis);
    }
}
