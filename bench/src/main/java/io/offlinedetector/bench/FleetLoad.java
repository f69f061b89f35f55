package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes one heartbeat for each device of {@code [from, to)} of the {@link FleetPlan}: first those
 * that go OFFLINE, then, once their short timeout has passed, the rest. The ONLINE heartbeats are
 * then read after the OFFLINE deadlines, so the detector's clock passes those deadlines while it
 * reads the input, and the ingestion stall guard (which holds deadlines that fall in a quiet input)
 * has no say over them.
 */
final class FleetLoad {

    private static final Duration PAST_OFFLINE_DEADLINES = Duration.ofMillis(FleetPlan.OFFLINE_TIMEOUT_MS + 500);

    private FleetLoad() {}

    static void run(String bootstrap, String topic, long from, long to, Duration limit) throws InterruptedException {
        Phase phase = new Phase(String.format("fleet load %,d-%,d", from, to), limit);
        Map<String, Object> props = Preload.bulkProducer(bootstrap);
        AcknowledgedSends sends = new AcknowledgedSends("fleet load");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, topic, from, to, FleetPlan::goesOffline, sends, phase);
            producer.flush();
            Thread.sleep(PAST_OFFLINE_DEADLINES.toMillis()); // lets the OFFLINE deadlines pass before the next records are written
            send(producer, topic, from, to, index -> !FleetPlan.goesOffline(index), sends, phase);
            producer.flush();
        }
        sends.requireAll(to - from);
        double seconds = (System.nanoTime() - start) / 1e9;
        phase.done("%,d devices in %.1fs", to - from, seconds);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, long from, long to, LongPredicate which,
            AcknowledgedSends sends, Phase phase) {
        for (long i = from; i < to; i++) {
            if (!which.test(i)) {
                continue;
            }
            byte[] key = FleetPlan.deviceId(i).getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, key, FleetPlan.heartbeat(i)), sends.callback());
            if ((i & 0x3FFF) == 0) {
                phase.check();
                phase.progress("%,d of %,d acknowledged", sends.acknowledged(), to - from);
                sends.throwIfFailed();
            }
        }
    }
}
