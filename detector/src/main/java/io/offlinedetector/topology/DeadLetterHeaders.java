package io.offlinedetector.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The headers that say why a record is on {@code heartbeats-dlq} and where it came from. */
public final class DeadLetterHeaders {

    public static final String ERROR_CODE = "od.error.code";
    public static final String ERROR_MESSAGE = "od.error.message";
    public static final String SOURCE_TOPIC = "od.source.topic";
    public static final String SOURCE_PARTITION = "od.source.partition";
    public static final String SOURCE_OFFSET = "od.source.offset";

    private DeadLetterHeaders() {}

    static void add(Headers headers, Rejection rejection, RecordMetadata source) {
        put(headers, ERROR_CODE, rejection.code().name());
        put(headers, ERROR_MESSAGE, rejection.message());
        if (source != null) {
            addSource(headers, source);
        }
    }

    /** Where the record was read in the input; a record handed on to its owner carries these from its first read. */
    static void addSource(Headers headers, RecordMetadata source) {
        put(headers, SOURCE_TOPIC, source.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key); // a record dead-lettered twice (replayed from the DLQ) keeps one reason
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
