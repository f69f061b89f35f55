package io.offlinedetector.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A heartbeat's time is its record timestamp (docs/design.md, 'Transitions'). A record without one
 * (negative, from very old clients) would make the default extractor fail the whole application,
 * and skipping it would lose a heartbeat; it counts as arriving at the partition's current time
 * instead.
 */
public final class HeartbeatTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
    }
}
