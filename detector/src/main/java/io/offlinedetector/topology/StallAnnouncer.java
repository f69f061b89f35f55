package io.offlinedetector.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Publishes {@code INGESTION_STALLED} and {@code INGESTION_RESUMED} on {@code detector-events}, once
 * per declared stall. Only the task of partition 0 announces, so the fleet hears one voice; what
 * it announced is kept in its store, so a restart or migration neither repeats nor skips an event.
 */
final class StallAnnouncer {

    static final String KEY = "ingestion";
    static final String STALLED = "INGESTION_STALLED";
    static final String RESUMED = "INGESTION_RESUMED";

    private static final JsonFactory JSON = new JsonFactory();

    private final ProcessorContext<byte[], byte[]> context;
    private final KeyValueStore<Bytes, byte[]> store;

    StallAnnouncer(ProcessorContext<byte[], byte[]> context, KeyValueStore<Bytes, byte[]> store) {
        this.context = context;
        this.store = store;
    }

    static boolean announces(ProcessorContext<?, ?> context) {
        return context.taskId().partition() == 0;
    }

    void update(InputProgress.Stall stall, long wallNow) {
        if (!stall.declared()) {
            return;
        }
        byte[] stored = store.get(IndexKeys.stallAnnounced());
        long announcedSince = stored == null ? -1 : ByteBuffer.wrap(stored).getLong(0);
        boolean announcedEnd = stored != null && stored[Long.BYTES] == 1;
        if (announcedSince != stall.since()) {
            publish(STALLED, stall.since(), -1, wallNow);
            announcedEnd = false;
        }
        if (!stall.ongoing() && !announcedEnd) {
            publish(RESUMED, stall.since(), stall.resumed(), wallNow);
            announcedEnd = true;
        }
        byte[] next = ByteBuffer.allocate(Long.BYTES + 1).putLong(stall.since()).put((byte) (announcedEnd ? 1 : 0)).array();
        if (stored == null || !Arrays.equals(stored, next)) {
            store.put(IndexKeys.stallAnnounced(), next);
        }
    }

    private void publish(String event, long since, long resumed, long detectedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("event", event);
            json.writeStringField("since", Instant.ofEpochMilli(since).toString());
            if (resumed >= 0) {
                json.writeStringField("resumedAt", Instant.ofEpochMilli(resumed).toString());
            }
            json.writeStringField("detectedAt", Instant.ofEpochMilli(detectedAt).toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long timestamp = resumed >= 0 ? resumed : since;
        context.forward(new Record<>(KEY.getBytes(StandardCharsets.UTF_8), out.toByteArray(), timestamp), Names.EVENTS_SINK);
    }
}
