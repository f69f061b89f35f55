package io.offlinedetector.feed;

import io.offlinedetector.config.Durations;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code device-status} on its own thread and hands each event to a {@link Listener}: what
 * any downstream consumer of the detector sees. Reads committed records only, as any consumer of an
 * exactly-once producer should. Takes every partition itself (no consumer group), so that any
 * number of followers each see the whole fleet and commit nothing.
 */
public final class StatusTail implements AutoCloseable {

    /** Where following starts. */
    public enum From {
        /** Only events from now on. */
        END,
        /** The latest event of every device still in the compacted topic, then everything new. */
        BEGINNING
    }

    /** Called on the tail's thread, in the order of each partition. */
    public interface Listener {
        void onEvent(StatusChange change);

        /** The device was removed: its tombstone (a null value) on the topic, stamped when it was removed. */
        void onRemoved(String deviceId, long removedAt);

        /** A record that is not a status event; following goes on. */
        void onUnreadable(String where, String problem);

        /** Following stopped for good, for example because Kafka refused the reader. */
        void onFailure(RuntimeException failure);
    }

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final From from;
    private final Listener listener;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile RuntimeException failure;

    private StatusTail(Map<String, Object> consumerProperties, From from, Listener listener) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.from = from;
        this.listener = listener;
        this.thread = new Thread(this::run, "status-tail");
        this.thread.setDaemon(true);
    }

    /** The properties a tail needs at least: where Kafka is, and a client id that says who reads. */
    public static Map<String, Object> consumerProperties(String bootstrapServers, String clientId) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    }

    /**
     * Starts following and returns once positioned, so that every event from then on is seen.
     *
     * @throws StartupException when the topic cannot be read within {@code timeout}
     */
    public static StatusTail start(Map<String, Object> consumerProperties, From from, Listener listener, Duration timeout) {
        StatusTail tail = new StatusTail(consumerProperties, from, listener);
        tail.thread.start();
        try {
            if (!tail.positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tail.close();
                throw new StartupException("could not read topic '" + Names.STATUS_TOPIC + "' at "
                        + consumerProperties.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + " within " + Durations.format(timeout));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tail.close();
            throw new StartupException("interrupted while starting to read '" + Names.STATUS_TOPIC + "'");
        }
        if (tail.failure != null) {
            tail.close();
            throw new StartupException("cannot read topic '" + Names.STATUS_TOPIC + "': " + tail.failure.getMessage(), tail.failure);
        }
        return tail;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Names.STATUS_TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic '" + Names.STATUS_TOPIC + "' does not exist; the detector creates it on start");
            }
            consumer.assign(partitions);
            if (from == From.END) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            partitions.forEach(consumer::position); // seeks are lazy; resolve them before saying so
            positioned.countDown();
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop
        } catch (RuntimeException e) {
            if (!closed) {
                failure = e;
                if (positioned.getCount() == 0) {
                    listener.onFailure(e);
                }
            }
        } finally {
            positioned.countDown();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null && record.key() != null) {
            listener.onRemoved(new String(record.key(), StandardCharsets.UTF_8), record.timestamp());
            return;
        }
        StatusChange change;
        try {
            change = StatusChangeJson.read(record.value());
        } catch (RuntimeException e) {
            listener.onUnreadable(record.topic() + "-" + record.partition() + "@" + record.offset(), String.valueOf(e.getMessage()));
            return;
        }
        listener.onEvent(change);
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
