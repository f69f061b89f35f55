package io.offlinedetector.config;

import io.offlinedetector.alerts.AlertSettings;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.progress.StallGuardSettings;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topology.TransitionHistory;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Builds the {@link DetectorConfig} from its sources, in order of precedence: flags, environment
 * ({@code OD_*}), the {@code --config} properties file, defaults. Every problem is a
 * {@link StartupException} whose message is one line that names the setting and its source.
 */
public final class ConfigLoader {

    /** Prefixes Kafka Streams accepts for properties aimed at one of its clients or at topics. */
    private static final Set<String> KAFKA_PREFIXES = Set.of(
            StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.TOPIC_PREFIX);

    /** More standbys than instances are never assigned; this only catches typos such as 10 for 1. */
    private static final int MAX_STANDBY_REPLICAS = 5;

    /** A typo guard: far more threads than any instance has partitions to share among them. */
    private static final int MAX_STREAM_THREADS = 256;

    /** Traffic before a quiet spell is measured over this long to tell a stall from a quiet fleet. */
    private static final Duration STALL_RATE_WINDOW = Duration.ofSeconds(10);

    /** The smallest RocksDB memory bound that still holds the stores' write buffers and some blocks. */
    static final long MIN_ROCKSDB_MEMORY = 16L * 1024 * 1024;

    private final Map<Setting, String> flags;
    private final Map<String, String> typeTimeoutFlags;
    private final Map<String, String> env;
    private final Properties file;
    private final String fileName;

    private ConfigLoader(
            Map<Setting, String> flags, Map<String, String> typeTimeoutFlags, Map<String, String> env, Properties file, String fileName) {
        this.flags = flags;
        this.typeTimeoutFlags = typeTimeoutFlags;
        this.env = env;
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * @param flags            the flags given on the command line (absent when not given)
     * @param typeTimeoutFlags {@code --type-timeout TYPE=DURATION} flags
     * @param env              the process environment
     * @param configFile       the {@code --config} file, or {@code null}; {@code OD_CONFIG} when null
     */
    public static DetectorConfig load(
            Map<Setting, String> flags, Map<String, String> typeTimeoutFlags, Map<String, String> env, Path configFile) {
        Path file = configFile != null ? configFile : env.containsKey("OD_CONFIG") ? Path.of(env.get("OD_CONFIG")) : null;
        return new ConfigLoader(flags, typeTimeoutFlags, env, readFile(file), file == null ? null : file.toString()).build();
    }

    private DetectorConfig build() {
        Map<String, String> kafka = new TreeMap<>();
        Map<String, Duration> typeTimeouts = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            String value = file.getProperty(key).trim();
            if (Setting.byKey(key) != null) {
                continue;
            }
            if (key.startsWith(Setting.TYPE_TIMEOUT_PREFIX) && key.length() > Setting.TYPE_TIMEOUT_PREFIX.length()) {
                typeTimeouts.put(key.substring(Setting.TYPE_TIMEOUT_PREFIX.length()), duration(key, value, "config file " + fileName));
            } else if (isKafkaProperty(key)) {
                kafka.put(key, value);
            } else {
                throw new StartupException("unknown configuration key '" + key + "' in " + fileName
                        + " (neither a detector setting nor a Kafka Streams or client property)");
            }
        }
        typeTimeoutFlags.forEach((type, value) -> typeTimeouts.put(type, duration("--type-timeout " + type, value, "flag")));

        int httpPort = port(Setting.HTTP_PORT);
        String advertised = value(Setting.ADVERTISED_URL);
        String stateDir = value(Setting.STATE_DIR);
        DetectorConfig config = new DetectorConfig(
                required(Setting.BOOTSTRAP_SERVERS),
                required(Setting.APPLICATION_ID),
                required(Setting.HTTP_BIND),
                httpPort,
                advertised == null ? null : url(advertised),
                stateDir == null ? Path.of(System.getProperty("user.home"), ".offline-detector", "state") : Path.of(stateDir),
                positiveDuration(Setting.DEFAULT_TIMEOUT),
                positiveDuration(Setting.TIMEOUT_MIN),
                positiveDuration(Setting.TIMEOUT_MAX),
                typeTimeouts,
                positiveDuration(Setting.CHECK_INTERVAL),
                duration(Setting.CLOCK_SKEW_MAX),
                guarantee(),
                new StallGuardSettings(bool(Setting.STALL_GUARD), nonNegativeNumber(Setting.STALL_MIN_RATE),
                        positiveDuration(Setting.STALL_AFTER), STALL_RATE_WINDOW),
                value(Setting.OFFLINE_RETENTION) == null ? Duration.ZERO : positiveDuration(Setting.OFFLINE_RETENTION),
                adminToken(),
                kafka,
                positiveDuration(Setting.STARTUP_TIMEOUT),
                count(Setting.STANDBY_REPLICAS, 0, MAX_STANDBY_REPLICAS),
                streamThreads(),
                rocksdbMemory(),
                bool(Setting.METRICS_GROUPS),
                new FlappingPolicy(count(Setting.FLAPPING_TRANSITIONS, 2, TransitionHistory.KEPT), positiveDuration(Setting.FLAPPING_WINDOW).toMillis()),
                new AlertSettings(alertmanagers(), positiveDuration(Setting.ALERTMANAGER_RESEND_INTERVAL)));
        if (config.timeoutMin().compareTo(config.timeoutMax()) > 0) {
            throw new StartupException("timeout.min (" + Durations.format(config.timeoutMin())
                    + ") is greater than timeout.max (" + Durations.format(config.timeoutMax()) + ")");
        }
        return config;
    }

    private String value(Setting setting) {
        if (flags.containsKey(setting)) {
            return flags.get(setting);
        }
        if (env.containsKey(setting.env())) {
            return env.get(setting.env());
        }
        String fromFile = file.getProperty(setting.key());
        return fromFile != null ? fromFile.trim() : setting.defaultValue();
    }

    /** Where a setting's value came from, so that an error names the place to fix. */
    private String source(Setting setting) {
        if (flags.containsKey(setting)) {
            return "--" + setting.flag();
        }
        if (env.containsKey(setting.env())) {
            return setting.env();
        }
        if (file.getProperty(setting.key()) != null) {
            return setting.key() + " in " + fileName;
        }
        return "default of " + setting.key();
    }

    private String required(Setting setting) {
        String value = value(setting);
        if (value == null || value.isBlank()) {
            throw new StartupException(source(setting) + " must not be empty");
        }
        return value.trim();
    }

    private int port(Setting setting) {
        String value = required(setting);
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(source(setting) + ": '" + value + "' is not a port number (0-65535)");
    }

    private int count(Setting setting, int min, int max) {
        String value = required(setting);
        try {
            int count = Integer.parseInt(value);
            if (count >= min && count <= max) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(source(setting) + ": '" + value + "' is not a whole number from " + min + " to " + max);
    }

    /**
     * One thread per core by default: a stream thread waits on the broker at each commit (and under
     * exactly-once on its transaction), so one thread leaves a core idle (bench, 2 cores: the
     * detector's catch-up rate 1.8x with 2 threads). More threads than partitions would idle.
     */
    private int streamThreads() {
        if (value(Setting.STREAM_THREADS) == null) {
            return Math.min(Runtime.getRuntime().availableProcessors(), TopicDefinition.heartbeats().partitions());
        }
        return count(Setting.STREAM_THREADS, 1, MAX_STREAM_THREADS);
    }

    private Duration duration(Setting setting) {
        return duration(setting.key(), required(setting), source(setting));
    }

    private Duration positiveDuration(Setting setting) {
        Duration duration = duration(setting);
        if (duration.isZero()) {
            throw new StartupException(source(setting) + " must be greater than zero");
        }
        return duration;
    }

    private static Duration duration(String name, String value, String source) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new StartupException("bad duration for " + name + " (" + source + "): " + e.getMessage());
        }
    }

    /** RocksDB needs room for at least a few blocks and one write buffer per store; below that it thrashes. */
    private long rocksdbMemory() {
        String value = required(Setting.ROCKSDB_MEMORY);
        long bytes;
        try {
            bytes = ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new StartupException(source(Setting.ROCKSDB_MEMORY) + ": " + e.getMessage());
        }
        if (bytes < MIN_ROCKSDB_MEMORY) {
            throw new StartupException(source(Setting.ROCKSDB_MEMORY) + ": '" + value + "' is less than the smallest usable "
                    + ByteSizes.format(MIN_ROCKSDB_MEMORY));
        }
        return bytes;
    }

    private String adminToken() {
        String token = value(Setting.ADMIN_TOKEN);
        if (token == null) {
            return null;
        }
        if (token.trim().length() < 16) {
            throw new StartupException(source(Setting.ADMIN_TOKEN) + " must be at least 16 characters, so that it cannot be guessed");
        }
        return token.trim();
    }

    private boolean bool(Setting setting) {
        String value = required(setting);
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new StartupException(source(setting) + ": '" + value + "' is not true or false");
    }

    private double nonNegativeNumber(Setting setting) {
        String value = required(setting);
        try {
            double number = Double.parseDouble(value);
            if (number >= 0 && Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(source(setting) + ": '" + value + "' is not a number of zero or more");
    }

    private URI url(String value) {
        try {
            URI uri = new URI(value);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new StartupException(source(Setting.ADVERTISED_URL) + ": '" + value
                + "' is not an http URL with host and port, such as http://10.0.0.5:8080");
    }

    /** The comma-separated Alertmanager URLs, or none. */
    private List<URI> alertmanagers() {
        String value = value(Setting.ALERTMANAGER_URL);
        List<URI> urls = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return urls;
        }
        for (String part : value.split(",", -1)) {
            String candidate = part.trim();
            try {
                URI uri = new URI(candidate);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && uri.getQuery() == null) {
                    urls.add(uri);
                    continue;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new StartupException(source(Setting.ALERTMANAGER_URL) + ": '" + candidate
                    + "' is not an http(s) URL of an Alertmanager, such as http://127.0.0.1:9093");
        }
        return urls;
    }

    private String guarantee() {
        String value = required(Setting.PROCESSING_GUARANTEE);
        if (!value.equals(StreamsConfig.EXACTLY_ONCE_V2) && !value.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new StartupException(source(Setting.PROCESSING_GUARANTEE) + ": '" + value
                    + "' is not a processing guarantee; use exactly_once_v2 or at_least_once");
        }
        return value;
    }

    private static boolean isKafkaProperty(String key) {
        if (StreamsConfig.configDef().names().contains(key)
                || ConsumerConfig.configNames().contains(key)
                || ProducerConfig.configNames().contains(key)
                || AdminClientConfig.configNames().contains(key)) {
            return true;
        }
        return KAFKA_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static Properties readFile(Path path) {
        Properties properties = new Properties();
        if (path == null) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new StartupException("config file " + path + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("cannot read config file " + path + ": " + e.getMessage());
        }
        return properties;
    }
}
