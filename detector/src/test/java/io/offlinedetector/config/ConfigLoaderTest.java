package io.offlinedetector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Heartbeat;
import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topology.DetectionSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final Map<Setting, String> flags = new EnumMap<>(Setting.class);
    private final Map<String, String> typeTimeoutFlags = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    // ---------------------------------------------------------------- defaults and precedence

    @Test
    void defaultsWithoutFlagsEnvOrFile() {
        DetectorConfig config = load(null);

        assertEquals("127.0.0.1:9092", config.bootstrapServers());
        assertEquals("offline-detector", config.applicationId());
        assertEquals("0.0.0.0", config.httpBind());
        assertEquals(8080, config.httpPort());
        assertNull(config.advertisedUrl());
        assertEquals(Path.of(System.getProperty("user.home"), ".offline-detector", "state"), config.stateDir());
        assertEquals(Duration.ofMinutes(5), config.defaultTimeout());
        assertEquals(Duration.ofSeconds(1), config.timeoutMin());
        assertEquals(Duration.ofDays(7), config.timeoutMax());
        assertEquals(Duration.ofSeconds(1), config.checkInterval());
        assertEquals(Duration.ofMinutes(1), config.clockSkewMax());
        assertEquals("exactly_once_v2", config.processingGuarantee());
        assertEquals(1, config.standbyReplicas());
        assertTrue(config.typeTimeouts().isEmpty());
        assertTrue(config.kafka().isEmpty());
    }

    @Test
    void everySettingHasItsFlagEnvAndKeyNames() {
        assertEquals("OD_DEFAULT_TIMEOUT", Setting.DEFAULT_TIMEOUT.env());
        assertEquals("OD_BOOTSTRAP_SERVERS", Setting.BOOTSTRAP_SERVERS.env());
        assertEquals("OD_HTTP_PORT", Setting.HTTP_PORT.env());
        for (Setting setting : Setting.values()) {
            assertEquals(setting, Setting.byKey(setting.key()));
            assertEquals("OD_" + setting.flag().toUpperCase(java.util.Locale.ROOT).replace('-', '_'), setting.env());
        }
        assertNull(Setting.byKey("no.such.key"));
    }

    static Stream<Arguments> settingsWithFourValues() {
        // setting, then a file, an env and a flag value, each different from the one before
        return Stream.of(
                Arguments.of(Setting.BOOTSTRAP_SERVERS, "file:9092", "env:9092", "flag:9092"),
                Arguments.of(Setting.APPLICATION_ID, "from-file", "from-env", "from-flag"),
                Arguments.of(Setting.HTTP_PORT, "8081", "8082", "8083"),
                Arguments.of(Setting.HTTP_BIND, "127.0.0.2", "127.0.0.3", "127.0.0.4"),
                Arguments.of(Setting.ADVERTISED_URL, "http://file:1", "http://env:2", "http://flag:3"),
                Arguments.of(Setting.STATE_DIR, "/tmp/file", "/tmp/env", "/tmp/flag"),
                Arguments.of(Setting.DEFAULT_TIMEOUT, "1m", "2m", "3m"),
                Arguments.of(Setting.TIMEOUT_MIN, "2s", "3s", "4s"),
                Arguments.of(Setting.TIMEOUT_MAX, "1d", "2d", "3d"),
                Arguments.of(Setting.CHECK_INTERVAL, "100ms", "200ms", "300ms"),
                Arguments.of(Setting.CLOCK_SKEW_MAX, "10s", "20s", "30s"),
                Arguments.of(Setting.PROCESSING_GUARANTEE, "at_least_once", "exactly_once_v2", "at_least_once"),
                Arguments.of(Setting.STALL_GUARD, "false", "true", "false"),
                Arguments.of(Setting.STALL_MIN_RATE, "10", "20", "30"),
                Arguments.of(Setting.STALL_AFTER, "1s", "2s", "3s"),
                Arguments.of(Setting.OFFLINE_RETENTION, "1d", "2d", "3d"),
                Arguments.of(Setting.ADMIN_TOKEN, "token-from-the-file", "token-from-the-env", "token-from-a-flag"),
                Arguments.of(Setting.STANDBY_REPLICAS, "0", "2", "3"),
                Arguments.of(Setting.STREAM_THREADS, "1", "3", "4"),
                Arguments.of(Setting.ROCKSDB_MEMORY, "64MiB", "1GiB", "512m"),
                Arguments.of(Setting.METRICS_GROUPS, "true", "false", "true"),
                Arguments.of(Setting.FLAPPING_TRANSITIONS, "3", "4", "5"),
                Arguments.of(Setting.FLAPPING_WINDOW, "10m", "20m", "30m"),
                Arguments.of(Setting.ALERTMANAGER_URL, "http://127.0.0.1:9093", "http://127.0.0.1:9094", "http://127.0.0.1:9095,http://127.0.0.1:9096"),
                Arguments.of(Setting.ALERTMANAGER_RESEND_INTERVAL, "10s", "20s", "30s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsWithFourValues")
    @DisplayName("flag › env › file › default")
    void flagBeatsEnvBeatsFileBeatsDefault(Setting setting, String fileValue, String envValue, String flagValue) throws IOException {
        Path file = file(setting.key() + "=" + fileValue);
        String defaultValue = read(load(null), setting);

        assertNotEquals(defaultValue, read(load(file), setting), "the file's value differs from the default");
        assertEquals(read(expected(setting, fileValue), setting), read(load(file), setting), "file beats default");

        env.put(setting.env(), envValue);
        assertEquals(read(expected(setting, envValue), setting), read(load(file), setting), "env beats file");

        flags.put(setting, flagValue);
        assertEquals(read(expected(setting, flagValue), setting), read(load(file), setting), "flag beats env");

        env.clear();
        assertEquals(read(expected(setting, flagValue), setting), read(load(file), setting), "flag beats file");
    }

    @Test
    void precedenceIsPerSetting() throws IOException {
        Path file = file("http.port=9001", "check.interval=5s", "application.id=file-app");
        env.put("OD_CHECK_INTERVAL", "250ms");
        flags.put(Setting.APPLICATION_ID, "flag-app");

        DetectorConfig config = load(file);

        assertEquals(9001, config.httpPort());
        assertEquals(Duration.ofMillis(250), config.checkInterval());
        assertEquals("flag-app", config.applicationId());
        assertEquals(Duration.ofMinutes(5), config.defaultTimeout());
    }

    @Test
    void fileValuesAreTrimmed() throws IOException {
        DetectorConfig config = load(file("http.port = 9090  ", "timeout.default=  90s "));

        assertEquals(9090, config.httpPort());
        assertEquals(Duration.ofSeconds(90), config.defaultTimeout());
    }

    @Test
    void odConfigEnvNamesTheFileAndConfigFlagBeatsIt() throws IOException {
        Path fromEnv = dir.resolve("env.properties");
        Files.writeString(fromEnv, "application.id=named-by-env\n");
        env.put("OD_CONFIG", fromEnv.toString());

        assertEquals("named-by-env", load(null).applicationId());
        assertEquals("named-by-flag", load(file("application.id=named-by-flag")).applicationId());
    }

    @Test
    void missingConfigFileIsAClearError() {
        Path missing = dir.resolve("nope.properties");

        assertConfigError(() -> load(missing), missing.toString(), "does not exist");

        env.put("OD_CONFIG", missing.toString());
        assertConfigError(() -> load(null), missing.toString(), "does not exist");
    }

    @Test
    void unreadableConfigFileIsAClearError() {
        assertConfigError(() -> load(dir), dir.toString());
    }

    // ---------------------------------------------------------------- Kafka pass-through and type timeouts

    @Test
    void kafkaPropertiesPassThrough() throws IOException {
        DetectorConfig config = load(file(
                "num.stream.threads=4",
                "sasl.mechanism=PLAIN",
                "security.protocol=SASL_SSL",
                "producer.linger.ms=5",
                "consumer.max.poll.records=2000",
                "main.consumer.fetch.max.wait.ms=100",
                "admin.request.timeout.ms=10000",
                "topic.min.insync.replicas=2",
                "num.standby.replicas=2",
                "statestore.cache.max.bytes=0",
                "timeout.default=2m"));

        assertEquals(Map.ofEntries(
                        Map.entry("sasl.mechanism", "PLAIN"),
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("producer.linger.ms", "5"),
                        Map.entry("consumer.max.poll.records", "2000"),
                        Map.entry("main.consumer.fetch.max.wait.ms", "100"),
                        Map.entry("admin.request.timeout.ms", "10000"),
                        Map.entry("topic.min.insync.replicas", "2"),
                        Map.entry("statestore.cache.max.bytes", "0")),
                config.kafka());
        assertEquals(Duration.ofMinutes(2), config.defaultTimeout(), "detector settings are not Kafka properties");
        assertEquals(2, config.standbyReplicas(), "num.standby.replicas is a detector setting, with its flag and env");
        assertEquals(4, config.streamThreads(), "num.stream.threads is a detector setting, with its flag and env");
    }

    @Test
    void detectorSettingsThatAreAlsoKafkaKeysStayDetectorSettings() throws IOException {
        DetectorConfig config = load(file("bootstrap.servers=broker:9092", "application.id=fleet", "processing.guarantee=at_least_once"));

        assertEquals("broker:9092", config.bootstrapServers());
        assertEquals("fleet", config.applicationId());
        assertEquals("at_least_once", config.processingGuarantee());
        assertTrue(config.kafka().isEmpty(), config.kafka().toString());
    }

    @Test
    void typeTimeoutsComeFromFileAndFlagsAndTheFlagWins() throws IOException {
        Path file = file("timeout.types.thermostat=10m", "timeout.types.tracker=30s");
        typeTimeoutFlags.put("tracker", "45s");
        typeTimeoutFlags.put("camera", "2h");

        DetectorConfig config = load(file);

        assertEquals(Map.of("thermostat", Duration.ofMinutes(10), "tracker", Duration.ofSeconds(45), "camera", Duration.ofHours(2)),
                config.typeTimeouts());
        assertTrue(config.kafka().isEmpty());
    }

    @Test
    void detectionSettingsCarryTheTimeoutPolicy() throws IOException {
        flags.put(Setting.DEFAULT_TIMEOUT, "10m");
        flags.put(Setting.TIMEOUT_MIN, "5s");
        flags.put(Setting.TIMEOUT_MAX, "1d");
        flags.put(Setting.CHECK_INTERVAL, "250ms");
        flags.put(Setting.CLOCK_SKEW_MAX, "30s");
        typeTimeoutFlags.put("tracker", "1m");

        DetectionSettings detection = load(file("timeout.types.thermostat=20m")).detection();

        assertEquals(new TimeoutPolicy(600_000, 5_000, 86_400_000, Map.of("tracker", 60_000L, "thermostat", 1_200_000L)),
                detection.timeouts());
        assertEquals(Duration.ofMillis(250), detection.checkInterval());
        assertEquals(Duration.ofSeconds(30), detection.clockSkewMax());
        assertEquals(60_000, detection.timeouts().resolve(new Heartbeat("d", 0, "tracker", null, null)));
        assertEquals(5_000, detection.timeouts().resolve(1L, "tracker"));
        assertEquals(600_000, detection.timeouts().resolve(null, "toaster"));
    }

    @Test
    void defaultConfigGivesTheDefaultDetectionSettings() {
        assertEquals(new DetectionSettings(
                        new TimeoutPolicy(Duration.ofMinutes(5).toMillis(), 1_000, Duration.ofDays(7).toMillis(), Map.of()),
                        Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO),
                load(null).detection());
    }

    // ---------------------------------------------------------------- bad values

    @ParameterizedTest
    @ValueSource(strings = {"abc", "10", "5 minutes", "-1s", "", "1.5s"})
    void badDurationFlagNamesTheSetting(String value) {
        flags.put(Setting.CHECK_INTERVAL, value);

        assertConfigError(() -> load(null), "check-interval");
    }

    @Test
    void badDurationsNameTheSettingAndWhereItCameFrom() throws IOException {
        env.put("OD_DEFAULT_TIMEOUT", "soon");
        assertConfigError(() -> load(null), "timeout.default", "OD_DEFAULT_TIMEOUT", "soon");
        env.clear();

        Path file = file("timeout.max=forever");
        assertConfigError(() -> load(file), "timeout.max", file.toString(), "forever");

        Path typed = file("timeout.types.thermostat=10 minutes");
        assertConfigError(() -> load(typed), "timeout.types.thermostat");

        typeTimeoutFlags.put("tracker", "fast");
        assertConfigError(() -> load(null), "tracker", "fast");
    }

    @Test
    void durationTooLongForMillisecondsIsAConfigErrorNotACrashLater() {
        flags.put(Setting.TIMEOUT_MAX, "999999999999d");

        assertConfigError(() -> load(null).detection(), "timeout-max", "999999999999d");
    }

    @Test
    void zeroIsNotATimeoutOrCheckInterval() {
        for (Setting setting : new Setting[] {Setting.DEFAULT_TIMEOUT, Setting.TIMEOUT_MIN, Setting.TIMEOUT_MAX, Setting.CHECK_INTERVAL}) {
            flags.clear();
            flags.put(setting, "0s");
            assertConfigError(() -> load(null), setting.flag(), "greater than zero");
        }
        flags.clear();
        flags.put(Setting.CLOCK_SKEW_MAX, "0s");
        assertEquals(Duration.ZERO, load(null).clockSkewMax(), "no skew allowance is a valid choice");
    }

    @Test
    void timeoutMinAboveTimeoutMaxIsRefused() throws IOException {
        Path file = file("timeout.min=2h", "timeout.max=1h");

        assertConfigError(() -> load(file), "timeout.min", "timeout.max", "2h", "1h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "65536", "-1", "http", "80.5", ""})
    void httpPortOutOfRangeIsRefused(String port) {
        flags.put(Setting.HTTP_PORT, port);

        assertConfigError(() -> load(null), "http-port");
    }

    @Test
    void httpPortBoundsAreAccepted() {
        flags.put(Setting.HTTP_PORT, "0");
        assertEquals(0, load(null).httpPort());
        flags.put(Setting.HTTP_PORT, "65535");
        assertEquals(65535, load(null).httpPort());
    }

    @Test
    void httpPortFromFileNamesTheFileKey() throws IOException {
        Path file = file("http.port=70000");

        assertConfigError(() -> load(file), "http.port", file.toString(), "70000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host:8080", "http://host", "host:8080", "not a url", "http://:8080", "https//x:1", "http://host:0"})
    void badAdvertisedUrlIsRefused(String url) {
        env.put("OD_ADVERTISED_URL", url);

        assertConfigError(() -> load(null), "OD_ADVERTISED_URL");
    }

    @Test
    void goodAdvertisedUrlIsKept() {
        flags.put(Setting.ADVERTISED_URL, "http://127.0.0.5:8080");

        assertEquals(URI.create("http://127.0.0.5:8080"), load(null).advertisedUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly_once", "EXACTLY_ONCE_V2", "none", "at-least-once"})
    void badProcessingGuaranteeIsRefused(String guarantee) {
        flags.put(Setting.PROCESSING_GUARANTEE, guarantee);

        assertConfigError(() -> load(null), "processing-guarantee", guarantee);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "one", "6", "1.5"})
    void badStandbyReplicaCountIsRefused(String count) {
        env.put(Setting.STANDBY_REPLICAS.env(), count);

        assertConfigError(() -> load(null), "OD_STANDBY_REPLICAS", count);
    }

    @Test
    void unknownKeyInFileIsRefusedNamingKeyAndFile() throws IOException {
        Path file = file("timeout.default=1m", "check.intervall=1s");

        assertConfigError(() -> load(file), "check.intervall", file.toString());
    }

    @Test
    void typeTimeoutWithoutATypeIsAnUnknownKey() throws IOException {
        Path file = file("timeout.types.=1m");
        assertConfigError(() -> load(file), "timeout.types.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BOOTSTRAP_SERVERS", "APPLICATION_ID", "HTTP_BIND"})
    void requiredSettingsMustNotBeEmpty(String name) {
        Setting setting = Setting.valueOf(name);
        flags.put(setting, "  ");

        assertConfigError(() -> load(null), setting.flag(), "must not be empty");
    }

    // ---------------------------------------------------------------- helpers

    private DetectorConfig load(Path file) {
        return ConfigLoader.load(flags, typeTimeoutFlags, env, file);
    }

    private Path file(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "detector", ".properties");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** The loaded config with {@code setting} set to {@code value} by a flag alone. */
    private DetectorConfig expected(Setting setting, String value) {
        return ConfigLoader.load(Map.of(setting, value), Map.of(), Map.of(), null);
    }

    private static String read(DetectorConfig config, Setting setting) {
        return switch (setting) {
            case BOOTSTRAP_SERVERS -> config.bootstrapServers();
            case APPLICATION_ID -> config.applicationId();
            case HTTP_PORT -> Integer.toString(config.httpPort());
            case HTTP_BIND -> config.httpBind();
            case ADVERTISED_URL -> String.valueOf(config.advertisedUrl());
            case STATE_DIR -> config.stateDir().toString();
            case DEFAULT_TIMEOUT -> config.defaultTimeout().toString();
            case TIMEOUT_MIN -> config.timeoutMin().toString();
            case TIMEOUT_MAX -> config.timeoutMax().toString();
            case CHECK_INTERVAL -> config.checkInterval().toString();
            case CLOCK_SKEW_MAX -> config.clockSkewMax().toString();
            case PROCESSING_GUARANTEE -> config.processingGuarantee();
            case STALL_GUARD -> Boolean.toString(config.stallGuard().enabled());
            case STALL_MIN_RATE -> Double.toString(config.stallGuard().minRatePerSecond());
            case STALL_AFTER -> config.stallGuard().declareAfter().toString();
            case OFFLINE_RETENTION -> config.offlineRetention().toString();
            case ADMIN_TOKEN -> config.adminToken();
            case STARTUP_TIMEOUT -> config.startupTimeout().toString();
            case STANDBY_REPLICAS -> Integer.toString(config.standbyReplicas());
            case STREAM_THREADS -> Integer.toString(config.streamThreads());
            case ROCKSDB_MEMORY -> Long.toString(config.rocksdbMemoryBytes());
            case METRICS_GROUPS -> Boolean.toString(config.metricsGroups());
            case FLAPPING_TRANSITIONS -> Integer.toString(config.flapping().transitions());
            case FLAPPING_WINDOW -> Duration.ofMillis(config.flapping().windowMs()).toString();
            case ALERTMANAGER_URL -> config.alerts().alertmanagers().toString();
            case ALERTMANAGER_RESEND_INTERVAL -> config.alerts().resendInterval().toString();
        };
    }

    @Test
    void streamThreadsDefaultToOnePerCoreAtMostOnePerPartitionAndMustBePositive() {
        int expected = Math.min(Runtime.getRuntime().availableProcessors(), TopicDefinition.heartbeats().partitions());
        assertEquals(expected, load(null).streamThreads());
        assertEquals(3, ConfigLoader.load(Map.of(Setting.STREAM_THREADS, "3"), Map.of(), Map.of(), null).streamThreads());
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.STREAM_THREADS, "0"), Map.of(), Map.of(), null),
                "--stream-threads: '0' is not a whole number from 1 to 256");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.STREAM_THREADS, "many"), Map.of(), Map.of(), null),
                "--stream-threads: 'many' is not a whole number from 1 to 256");
    }

    @Test
    void metricsByGroupAreOffByDefaultAndTakeTrueOrFalse() {
        assertFalse(load(null).metricsGroups());
        env.put("OD_METRICS_GROUPS", "TRUE");
        assertTrue(load(null).metricsGroups());
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.METRICS_GROUPS, "yes"), Map.of(), Map.of(), null),
                "--metrics-groups: 'yes' is not true or false");
    }

    @Test
    void flappingIsSixTransitionsWithinAnHourByDefaultAndTakesTwoToAHundred() {
        assertEquals(new FlappingPolicy(6, 3_600_000), load(null).flapping());
        assertEquals(new FlappingPolicy(3, 600_000), ConfigLoader.load(Map.of(Setting.FLAPPING_TRANSITIONS, "3", Setting.FLAPPING_WINDOW, "10m"),
                Map.of(), Map.of(), null).flapping());
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.FLAPPING_TRANSITIONS, "1"), Map.of(), Map.of(), null),
                "--flapping-transitions: '1' is not a whole number from 2 to 100");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.FLAPPING_TRANSITIONS, "101"), Map.of(), Map.of(), null),
                "--flapping-transitions: '101' is not a whole number from 2 to 100");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.FLAPPING_WINDOW, "0s"), Map.of(), Map.of(), null),
                "--flapping-window must be greater than zero");
    }

    @Test
    void alertsAreOffWithoutAnAlertmanagerAndTakeSeveralUrls() {
        assertFalse(load(null).alerts().enabled());
        assertEquals(Duration.ofMinutes(1), load(null).alerts().resendInterval());
        env.put("OD_ALERTMANAGER_URL", " http://127.0.0.1:9093 , http://127.0.0.1:9094/ ");
        assertEquals(List.of(URI.create("http://127.0.0.1:9093"), URI.create("http://127.0.0.1:9094/")), load(null).alerts().alertmanagers());
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.ALERTMANAGER_URL, "127.0.0.1:9093"), Map.of(), Map.of(), null),
                "--alertmanager-url: '127.0.0.1:9093' is not an http(s) URL of an Alertmanager, such as http://127.0.0.1:9093");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.ALERTMANAGER_URL, "http://127.0.0.1:9093,"), Map.of(), Map.of(), null),
                "--alertmanager-url: '' is not an http(s) URL of an Alertmanager, such as http://127.0.0.1:9093");
    }

    @Test
    void rocksdbMemoryDefaultsTo256MiBAndTakesUnits() {
        assertEquals(256L << 20, load(null).rocksdbMemoryBytes());
        assertEquals(1L << 30, ConfigLoader.load(Map.of(Setting.ROCKSDB_MEMORY, "1GiB"), Map.of(), Map.of(), null).rocksdbMemoryBytes());
        assertEquals(100_000_000L, ConfigLoader.load(Map.of(Setting.ROCKSDB_MEMORY, "100000000"), Map.of(), Map.of(), null).rocksdbMemoryBytes());
    }

    @Test
    void rocksdbMemoryThatIsNotASizeOrTooSmallIsRefused() {
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.ROCKSDB_MEMORY, "lots"), Map.of(), Map.of(), null),
                "--rocksdb-memory", "'lots'");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.ROCKSDB_MEMORY, "12TB"), Map.of(), Map.of(), null),
                "--rocksdb-memory", "unit");
        assertConfigError(() -> ConfigLoader.load(Map.of(Setting.ROCKSDB_MEMORY, "1MiB"), Map.of(), Map.of(), null),
                "--rocksdb-memory", "16MiB");
    }

    /** A one-line StartupException whose message contains every fragment. */
    private static void assertConfigError(Runnable load, String... fragments) {
        StartupException e = assertThrows(StartupException.class, load::run);
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "message: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "not one line: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "'" + message + "' does not mention '" + fragment + "'");
        }
    }
}
