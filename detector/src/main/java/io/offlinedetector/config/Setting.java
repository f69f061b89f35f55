package io.offlinedetector.config;

import java.util.Locale;

/**
 * The detector's own settings. Each is read from its flag, else its environment variable, else the
 * {@code --config} file, else its default (docs/operations.md, 'Configuration'). The env name
 * follows from the flag: {@code --default-timeout} → {@code OD_DEFAULT_TIMEOUT}.
 */
public enum Setting {
    BOOTSTRAP_SERVERS("bootstrap-servers", "bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers"),
    APPLICATION_ID("application-id", "application.id", "offline-detector", "Kafka Streams application id, shared by all instances"),
    HTTP_PORT("http-port", "http.port", "8080", "HTTP API port (0 picks a free one)"),
    HTTP_BIND("http-bind", "http.bind", "0.0.0.0", "address the HTTP API listens on"),
    ADVERTISED_URL("advertised-url", "advertised.url", null, "URL other instances use to reach this one (default http://127.0.0.1:<http-port>)"),
    STATE_DIR("state-dir", "state.dir", null, "Kafka Streams state directory (default ~/.offline-detector/state)"),
    DEFAULT_TIMEOUT("default-timeout", "timeout.default", "5m", "timeout of devices that name neither their own nor a typed one"),
    TIMEOUT_MIN("timeout-min", "timeout.min", "1s", "smallest timeout a device may ask for"),
    TIMEOUT_MAX("timeout-max", "timeout.max", "7d", "largest timeout a device may ask for"),
    CHECK_INTERVAL("check-interval", "check.interval", "1s", "how often due devices are checked"),
    CLOCK_SKEW_MAX("clock-skew-max", "clock.skew.max", "1m", "heartbeat times further ahead than this count as now"),
    PROCESSING_GUARANTEE("processing-guarantee", "processing.guarantee", "exactly_once_v2", "exactly_once_v2 or at_least_once"),
    STALL_GUARD("stall-guard", "ingestion.stall.guard", "true", "hold OFFLINE decisions while the whole input stalls after steady traffic (true/false)"),
    STALL_MIN_RATE("stall-min-rate", "ingestion.stall.min.rate", "100", "heartbeats/s below which the stall guard never engages"),
    STALL_AFTER("stall-after", "ingestion.stall.after", "2s", "how long the whole input must be quiet before a stall is declared"),
    OFFLINE_RETENTION("offline-retention", "offline.retention", null, "remove devices that have been OFFLINE this long, such as 30d (default: keep)"),
    ADMIN_TOKEN("admin-token", "admin.token", null, "bearer token for admin endpoints such as DELETE /devices/{id} (default: admin endpoints off)"),
    STARTUP_TIMEOUT("startup-timeout", "startup.timeout", "30s", "how long start-up waits for Kafka before it gives up"),
    STANDBY_REPLICAS("standby-replicas", "num.standby.replicas", "1", "warm copies of each partition's state on other instances, for fast failover"),
    STREAM_THREADS("stream-threads", "num.stream.threads", null,
            "threads processing this instance's partitions (default: one per core, at most one per heartbeats partition)"),
    ROCKSDB_MEMORY("rocksdb-memory", "rocksdb.memory", "256MiB", "off-heap memory all state stores of this instance share: block cache and write buffers"),
    METRICS_GROUPS("metrics-groups", "metrics.groups", "false", "also export the device counts by group on /metrics, one series per group and status (true/false)"),
    FLAPPING_TRANSITIONS("flapping-transitions", "flapping.transitions", "6", "a device with this many transitions within flapping.window is flapping (2-100)"),
    FLAPPING_WINDOW("flapping-window", "flapping.window", "1h", "the window in which flapping.transitions make a device flapping"),
    ALERTMANAGER_URL("alertmanager-url", "alertmanager.url", null,
            "Alertmanager to send DeviceOffline alerts to, such as http://127.0.0.1:9093; several, comma-separated, are an HA pair (default: no alerts)"),
    ALERTMANAGER_RESEND_INTERVAL("alertmanager-resend-interval", "alertmanager.resend.interval", "1m",
            "how often the alerts of devices that stay OFFLINE are sent again");

    /** Prefix of the per-type timeouts in the config file: {@code timeout.types.thermostat=10m}. */
    public static final String TYPE_TIMEOUT_PREFIX = "timeout.types.";

    private final String flag;
    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String flag, String key, String defaultValue, String description) {
        this.flag = flag;
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The command-line flag, without the leading dashes. */
    public String flag() {
        return flag;
    }

    /** The key in the {@code --config} properties file. */
    public String key() {
        return key;
    }

    public String env() {
        return "OD_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default, or {@code null} when it is derived from other settings. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }
}
