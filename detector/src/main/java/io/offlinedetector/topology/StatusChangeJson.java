package io.offlinedetector.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code device-status} event format of docs/design.md, 'Status events': JSON with ISO-8601 UTC
 * times.
 */
public final class StatusChangeJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusChangeJson() {}

    public static byte[] write(StatusChange change) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("deviceId", change.deviceId());
            json.writeStringField("status", change.status().name());
            json.writeStringField("previousStatus", change.previousStatus().name());
            json.writeStringField("changedAt", iso(change.changedAt()));
            json.writeStringField("detectedAt", iso(change.detectedAt()));
            json.writeStringField("lastSeen", iso(change.lastSeen()));
            json.writeNumberField("timeoutMs", change.timeoutMs());
            json.writeStringField("deviceType", change.deviceType());
            json.writeStringField("group", change.group());
            json.writeStringField("reason", change.reason().name());
            json.writeNumberField("sequence", change.sequence());
            json.writeBooleanField("flapping", change.flapping());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
