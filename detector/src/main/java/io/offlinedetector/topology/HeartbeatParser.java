package io.offlinedetector.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.offlinedetector.domain.Heartbeat;
import io.offlinedetector.topology.Rejection.Code;
import java.io.IOException;

/**
 * Turns a raw {@code heartbeats} record into a {@link Heartbeat}, or says why it cannot
 * (docs/design.md, 'Heartbeats' and 'Dead letters'). Streams the JSON with Jackson's parser: only
 * the recognised fields are read, everything else is skipped without building a tree, since devices
 * may put telemetry of any size in the body.
 */
public final class HeartbeatParser {

    public static final int MAX_DEVICE_TYPE_CHARS = 64;
    public static final int MAX_GROUP_CHARS = 128;

    private static final JsonFactory JSON = new JsonFactory();

    /** Either a heartbeat or a rejection. */
    public record Parsed(Heartbeat heartbeat, Rejection rejection) {

        static Parsed ok(Heartbeat heartbeat) {
            return new Parsed(heartbeat, null);
        }

        static Parsed rejected(Code code, String message) {
            return new Parsed(null, new Rejection(code, message));
        }

        public boolean ok() {
            return heartbeat != null;
        }
    }

    public Parsed parse(byte[] key, byte[] value, long timestamp) {
        String deviceId;
        try {
            deviceId = DeviceIds.decode(key);
        } catch (IllegalArgumentException e) {
            return Parsed.rejected(key == null || key.length == 0 ? Code.MISSING_KEY : Code.INVALID_KEY, e.getMessage());
        }
        if (value == null || value.length == 0 || isEmptyObject(value)) {
            return Parsed.ok(Heartbeat.bare(deviceId, timestamp)); // no parser for the commonest bodies that say nothing
        }
        try (JsonParser json = JSON.createParser(value)) {
            return parseBody(json, deviceId, timestamp);
        } catch (InputCoercionException e) {
            return Parsed.rejected(Code.INVALID_FIELD, "timeoutMs is out of range");
        } catch (IOException e) {
            return Parsed.rejected(Code.INVALID_JSON, "value is not valid JSON: " + firstLine(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static Parsed parseBody(JsonParser json, String deviceId, long timestamp) throws IOException {
        JsonToken first = json.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
            return endsHere(json) ? Parsed.ok(Heartbeat.bare(deviceId, timestamp)) : trailing();
        }
        if (first != JsonToken.START_OBJECT) {
            json.skipChildren();
            json.finishToken(); // scalars are read lazily: a broken one must fail here, as INVALID_JSON
            return Parsed.rejected(Code.NOT_AN_OBJECT, "value must be a JSON object, empty or null");
        }
        String deviceType = null;
        String group = null;
        Long timeoutMs = null;
        String bodyDeviceId = null;
        JsonToken token;
        while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken fieldValue = json.nextToken();
            switch (field) {
                case "deviceType" -> {
                    if (fieldValue == JsonToken.VALUE_NULL) {
                        deviceType = null;
                    } else if (fieldValue != JsonToken.VALUE_STRING) {
                        return Parsed.rejected(Code.INVALID_FIELD, "deviceType must be a string");
                    } else if (json.getTextLength() > MAX_DEVICE_TYPE_CHARS) {
                        return Parsed.rejected(Code.INVALID_FIELD, "deviceType is longer than " + MAX_DEVICE_TYPE_CHARS + " characters");
                    } else {
                        deviceType = json.getText();
                    }
                }
                case "group" -> {
                    if (fieldValue == JsonToken.VALUE_NULL) {
                        group = null;
                    } else if (fieldValue != JsonToken.VALUE_STRING) {
                        return Parsed.rejected(Code.INVALID_FIELD, "group must be a string");
                    } else if (json.getTextLength() > MAX_GROUP_CHARS) {
                        return Parsed.rejected(Code.INVALID_FIELD, "group is longer than " + MAX_GROUP_CHARS + " characters");
                    } else {
                        group = json.getText();
                    }
                }
                case "timeoutMs" -> {
                    if (fieldValue == JsonToken.VALUE_NULL) {
                        timeoutMs = null;
                    } else if (fieldValue != JsonToken.VALUE_NUMBER_INT || json.getLongValue() <= 0) {
                        return Parsed.rejected(Code.INVALID_FIELD, "timeoutMs must be a positive integer");
                    } else {
                        timeoutMs = json.getLongValue();
                    }
                }
                case "deviceId" -> {
                    if (fieldValue == JsonToken.VALUE_NULL) {
                        bodyDeviceId = null;
                    } else if (fieldValue != JsonToken.VALUE_STRING) {
                        return Parsed.rejected(Code.INVALID_FIELD, "deviceId must be a string");
                    } else {
                        bodyDeviceId = json.getText();
                    }
                }
                default -> json.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            return Parsed.rejected(Code.INVALID_JSON, "value is not valid JSON: unexpected " + token);
        }
        if (!endsHere(json)) {
            return trailing();
        }
        if (bodyDeviceId != null && !bodyDeviceId.equals(deviceId)) {
            return Parsed.rejected(Code.DEVICE_ID_MISMATCH, "deviceId in the body does not match the record key");
        }
        return Parsed.ok(new Heartbeat(deviceId, timestamp, deviceType, group, timeoutMs));
    }

    private static boolean isEmptyObject(byte[] value) {
        return value.length == 2 && value[0] == '{' && value[1] == '}';
    }

    private static boolean endsHere(JsonParser json) throws IOException {
        return json.nextToken() == null;
    }

    private static Parsed trailing() {
        return Parsed.rejected(Code.INVALID_JSON, "value is not valid JSON: content after the end of the value");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
