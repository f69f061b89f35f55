package io.offlinedetector.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The {@code device-status} event format of SPEC §2.2: JSON with ISO-8601 UTC times. */
public final class StatusChangeJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
            json.writeStringField("reason", change.reason().name());
            json.writeNumberField("sequence", change.sequence());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads an event back; for consumers of the topic (the demo, the tests, the tools). */
    public static StatusChange read(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            JsonNode type = node.get("deviceType");
            return new StatusChange(
                    node.get("deviceId").asText(),
                    Status.valueOf(node.get("status").asText()),
                    Status.valueOf(node.get("previousStatus").asText()),
                    Instant.parse(node.get("changedAt").asText()).toEpochMilli(),
                    Instant.parse(node.get("detectedAt").asText()).toEpochMilli(),
                    Instant.parse(node.get("lastSeen").asText()).toEpochMilli(),
                    node.get("timeoutMs").asLong(),
                    type == null || type.isNull() ? null : type.asText(),
                    Reason.valueOf(node.get("reason").asText()),
                    node.get("sequence").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
