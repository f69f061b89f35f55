package io.offlinedetector;

import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.feed.StatusTail;
import io.offlinedetector.rocksdb.BoundedMemoryRocksDBConfig;
import io.offlinedetector.topology.Names;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/** Turns the detector's configuration into Kafka Streams and admin client properties. */
public final class KafkaProperties {

    /** The smallest session timeout brokers accept by default ({@code group.min.session.timeout.ms}). */
    public static final int SESSION_TIMEOUT_MS = 6_000;
    static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    private KafkaProperties() {}

    public static Properties streams(DetectorConfig config, URI advertised) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.getHost() + ":" + advertised.getPort());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        // A standby keeps a warm copy of a partition's state on another instance, so that a crash
        // hands the partition over in seconds instead of after a restore from the changelog.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // A task reads heartbeats and its re-routing partition, which is empty for correctly partitioned
        // input. Kafka Streams would otherwise check, for every record, whether to wait for the empty one
        // to line up timestamps across the two; the transition rules take heartbeats in any order, and
        // the detector's clock, not stream time, decides offline (bench: that check cost ~6 % of catch-up).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // Changelog records and status events leave in large lz4-compressed batches: a catch-up sends
        // hundreds of thousands a second, and with 16 KiB batches and no compression the producer's
        // network thread took as much CPU as a fifth of the stream threads (bench: catch-up +18 to 32 %).
        // Every Kafka client reads lz4; a config file may set others.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Records that are not heartbeats are dead-lettered by the processor itself, with their
        // reason. This is the safety net for anything unforeseen: the record goes to the same
        // topic (KIP-1034) and processing goes on instead of stopping the fleet's detection.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Names.DLQ_TOPIC);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true); // no global stores; opts in to the 5.0 default
        // All stores share one bounded block cache and write-buffer budget; the bound travels in the
        // Streams config to the setter. A config file may still name another setter.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        props.put(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, config.rocksdbMemoryBytes());
        if (isClassicProtocol(config)) {
            // A crashed instance's partitions move to their standbys only once the group notices it
            // is gone: with the consumer's 45 s default, the failover target of 10 s could not be
            // met (bench, 1,000,000 devices: 47.5 s; 7.4 s with these). The streams protocol's
            // session timeout is the broker's to set.
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
        }
        props.putAll(config.kafka());
        return props;
    }

    private static boolean isClassicProtocol(DetectorConfig config) {
        Object protocol = config.kafka().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        return protocol == null || protocol.toString().trim().equalsIgnoreCase("classic");
    }

    /** Producer properties for admin commands and the simulator: bootstrap servers plus the file's client and security settings. */
    public static Map<String, Object> producer(DetectorConfig config) {
        Map<String, Object> props = clientProperties(config, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
        props.keySet().removeIf(KafkaProperties::isStreamsOnly);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    /** Properties both Streams and the producer know, whose Streams meaning must not reach a plain producer. */
    private static boolean isStreamsOnly(String key) {
        return key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG) || key.equals(ProducerConfig.CLIENT_ID_CONFIG);
    }

    /**
     * Properties of the reader behind the dashboard's live feed: the file's consumer and security
     * settings ({@code consumer.}-prefixed ones included), and a client id that names the reader.
     */
    static Map<String, Object> statusFeed(DetectorConfig config) {
        return statusReader(config, config.applicationId() + "-live-feed");
    }

    /** A reader of the status events, such as {@code watch}: the file's consumer and security settings, under its own group. */
    public static Map<String, Object> statusReader(DetectorConfig config, String groupId) {
        Map<String, Object> props = clientProperties(config, ConsumerConfig.configNames(), StreamsConfig.CONSUMER_PREFIX);
        props.putAll(StatusTail.consumerProperties(config.bootstrapServers(), groupId));
        return props;
    }

    /** Admin client properties: bootstrap servers plus the file's admin-client and security settings. */
    public static Map<String, Object> admin(DetectorConfig config) {
        Map<String, Object> props = clientProperties(config, AdminClientConfig.configNames(), StreamsConfig.ADMIN_CLIENT_PREFIX);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // Start-up waits at most the start-up timeout; without these the client retries for a minute.
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.startupTimeout().toMillis());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return props;
    }

    /**
     * The file's properties for one kind of client: those the client knows by name (security
     * settings among them), then those with its Kafka Streams prefix, prefix stripped, which win.
     */
    private static Map<String, Object> clientProperties(DetectorConfig config, Set<String> names, String prefix) {
        Map<String, Object> props = new HashMap<>();
        config.kafka().forEach((key, value) -> {
            if (names.contains(key)) {
                props.putIfAbsent(key, value);
            } else if (key.startsWith(prefix)) {
                props.put(key.substring(prefix.length()), value);
            }
        });
        return props;
    }
}
