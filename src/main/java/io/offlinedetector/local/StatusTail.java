package io.offlinedetector.local;

import io.offlinedetector.config.ConfigException;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code device-status} from its current end and hands each event, as a
 * {@link StatusLine}, to a sink: what a downstream consumer of the detector sees. Reads committed
 * records only, as any consumer of an exactly-once producer should.
 */
final class StatusTail implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<String> sink;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile RuntimeException failure;

    private StatusTail(String bootstrapServers, Consumer<String> sink) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "local-status-tail",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.sink = sink;
        this.thread = new Thread(this::run, "status-tail");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following and returns once positioned at the topic's end, so that every event from
     * now on is shown.
     */
    static StatusTail start(String bootstrapServers, Consumer<String> sink, Duration timeout) {
        StatusTail tail = new StatusTail(bootstrapServers, sink);
        tail.thread.start();
        try {
            if (!tail.positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tail.close();
                throw new ConfigException("could not read topic '" + Names.STATUS_TOPIC + "' within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tail.close();
            throw new ConfigException("interrupted while starting to read '" + Names.STATUS_TOPIC + "'");
        }
        if (tail.failure != null) {
            tail.close();
            throw new ConfigException("cannot read topic '" + Names.STATUS_TOPIC + "': " + tail.failure.getMessage(), tail.failure);
        }
        return tail;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Names.STATUS_TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    sink.accept(line(record));
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop
        } catch (RuntimeException e) {
            if (!closed) {
                failure = e;
                sink.accept("status tail stopped: " + e.getMessage());
            }
        } finally {
            positioned.countDown();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private static String line(ConsumerRecord<byte[], byte[]> record) {
        try {
            return StatusLine.format(StatusChangeJson.read(record.value()));
        } catch (RuntimeException e) {
            return "unreadable event at " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
