package io.offlinedetector.simulator;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the heartbeats of a simulated fleet to {@link Names#HEARTBEATS_TOPIC}, following a
 * {@link FleetSchedule}: keyed by device id, timestamped with the send time, value
 * {@code {"deviceType":"..."}} or empty. One sending thread; a run ends after
 * {@link FleetSettings#duration()} or on {@link #close()}, whichever comes first.
 */
public final class FleetSimulator implements AutoCloseable {

    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Sends per turn of the loop at most, so that stop and progress are noticed under any load. */
    private static final int MAX_BATCH = 10_000;
    private static final byte[] EMPTY = new byte[0];

    private final FleetSettings settings;
    private final SendPlan plan;
    private final Producer<byte[], byte[]> producer;
    private final Consumer<Progress> progressSink;
    private final byte[][] values;
    /** The values of flapping devices, which name their own timeout. */
    private final byte[][] flappingValues;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Callback onAcknowledged = (metadata, exception) -> {
        if (exception == null) {
            acknowledged.increment();
        } else {
            failed(exception);
        }
    };
    private volatile Progress progress;

    private FleetSimulator(FleetSettings settings, Producer<byte[], byte[]> producer, Consumer<Progress> progressSink) {
        this.settings = settings;
        this.plan = settings.plan();
        this.producer = producer;
        this.progressSink = progressSink;
        this.values = new byte[Math.max(1, settings.types().size())][];
        this.flappingValues = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            String type = settings.types().isEmpty() ? null : settings.types().get(i);
            values[i] = type == null ? EMPTY : value(type, 0);
            flappingValues[i] = value(type, plan.flappingTimeoutMillis());
        }
        this.progress = new Progress(Duration.ZERO, 0, 0, 0, settings.devices(), 0, settings.duration());
        this.thread = new Thread(this::run, "fleet-simulator");
        this.thread.setDaemon(true);
    }

    /**
     * Checks that the heartbeat topic exists (a producer would otherwise have the broker create it
     * with the wrong partition count), then starts sending.
     *
     * @param cluster      where to send: its bootstrap servers and the client and security settings of its file
     * @param progressSink called on the sending thread every {@link FleetSettings#progressEvery()}
     * @throws StartupException when Kafka cannot be reached or the topic is missing
     */
    public static FleetSimulator start(FleetSettings settings, DetectorConfig cluster, Consumer<Progress> progressSink) {
        requireTopic(cluster);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProperties(cluster), new ByteArraySerializer(), new ByteArraySerializer());
        return start(settings, producer, progressSink);
    }

    /** Starts sending through the given producer, which the simulator closes when done. */
    static FleetSimulator start(FleetSettings settings, Producer<byte[], byte[]> producer, Consumer<Progress> progressSink) {
        FleetSimulator simulator = new FleetSimulator(settings, producer, progressSink);
        simulator.thread.start();
        return simulator;
    }

    /**
     * The cluster's producer and security settings, as the detector's own clients get them, under a
     * tuning for throughput that wins: small records, so linger and batch them and compress the batches.
     */
    static Map<String, Object> producerProperties(DetectorConfig cluster) {
        Map<String, Object> props = new HashMap<>(KafkaProperties.producer(cluster));
        props.putAll(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "fleet-simulator",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
                // A send that cannot get metadata fails after this instead of stalling the whole run.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        return props;
    }

    /** The topic check's admin client: the cluster's admin and security settings, with its own short timeouts. */
    static Map<String, Object> adminProperties(DetectorConfig cluster) {
        int timeoutMs = (int) TOPIC_CHECK_TIMEOUT.toMillis();
        Map<String, Object> props = new HashMap<>(KafkaProperties.admin(cluster));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return props;
    }

    /** Waits until the run is over (its duration elapsed, or closed) and the producer is closed. */
    public boolean awaitCompletion(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest report; once the run is over, the whole run's totals and average rate. */
    public Progress progress() {
        return progress;
    }

    /** The first send error, or {@code null}. */
    public String firstError() {
        return firstError.get();
    }

    /** Stops sending, then waits (bounded) until the producer has flushed and closed. */
    @Override
    public void close() {
        stop.countDown();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_TIMEOUT.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long start = System.nanoTime();
        long end = settings.duration().toNanos();
        long every = settings.progressEvery().toNanos();
        // The schedule ends at the duration: this many sends at most, whatever the clock does.
        long limit = plan.sendsBefore(end);
        long next = 0;
        long nextReport = every;
        long lastReportAt = 0;
        long lastReportSent = 0;
        try {
            while (stop.getCount() > 0 && next < limit) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= end) {
                    break;
                }
                for (int batch = 0; batch < MAX_BATCH && next < limit; batch++) {
                    long due = plan.sendOffsetNanos(next);
                    if (due > elapsed) {
                        break;
                    }
                    int device = plan.deviceOf(next);
                    if (!plan.silent(device, due)) {
                        send(device, System.currentTimeMillis() + plan.clockSkewMillis(device));
                    }
                    next++;
                }
                if (elapsed >= nextReport) {
                    long sent = acknowledged.sum();
                    report(elapsed, sent, (sent - lastReportSent) * 1e9 / Math.max(1, elapsed - lastReportAt));
                    progressSink.accept(progress);
                    lastReportAt = elapsed;
                    lastReportSent = sent;
                    nextReport = elapsed + every;
                }
                long wait = Math.min(Math.min(plan.sendOffsetNanos(next), nextReport), end) - (System.nanoTime() - start);
                if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            producer.close(CLOSE_TIMEOUT);
            long elapsed = System.nanoTime() - start;
            long sent = acknowledged.sum();
            report(elapsed, sent, sent * 1e9 / Math.max(1, elapsed));
            finished.countDown();
        }
    }

    private void send(int device, long timestamp) {
        byte[] key = settings.deviceId(device).getBytes(StandardCharsets.UTF_8);
        byte[] value = plan.flapping(device) ? flappingValues[device % values.length] : values[device % values.length];
        try {
            producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, timestamp, key, value), onAcknowledged);
        } catch (KafkaException e) {
            failed(e);
        }
    }

    private void report(long elapsedNanos, long sent, double rate) {
        progress = new Progress(Duration.ofNanos(elapsedNanos), sent, rate,
                plan.silentCount(elapsedNanos), settings.devices(), errors.sum(), settings.duration());
    }

    private void failed(Exception e) {
        errors.increment();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** {@code {"deviceType":"thermostat","timeoutMs":15000}}, either field left out when null or 0. */
    static byte[] value(String type, long timeoutMs) {
        StringBuilder json = new StringBuilder("{");
        if (type != null) {
            json.append("\"deviceType\":\"");
            for (char c : type.toCharArray()) {
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        if (timeoutMs > 0) {
            json.append(type != null ? "," : "").append("\"timeoutMs\":").append(timeoutMs);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void requireTopic(DetectorConfig cluster) {
        String bootstrapServers = cluster.bootstrapServers();
        int timeoutMs = (int) TOPIC_CHECK_TIMEOUT.toMillis();
        try (Admin admin = Admin.create(adminProperties(cluster))) {
            admin.describeTopics(List.of(Names.HEARTBEATS_TOPIC)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new StartupException("cannot reach Kafka at " + bootstrapServers + " within " + TOPIC_CHECK_TIMEOUT.toSeconds() + " s");
            }
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new StartupException("topic '" + Names.HEARTBEATS_TOPIC + "' does not exist on " + bootstrapServers
                        + "; create it with the 'topics' command (or start a detector with 'run') first");
            }
            throw new StartupException("Kafka at " + bootstrapServers + " cannot describe topic '" + Names.HEARTBEATS_TOPIC
                    + "': " + e.getCause().getMessage());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new StartupException("cannot reach Kafka at " + bootstrapServers + " within " + TOPIC_CHECK_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while checking topic '" + Names.HEARTBEATS_TOPIC + "'");
        }
    }
}
