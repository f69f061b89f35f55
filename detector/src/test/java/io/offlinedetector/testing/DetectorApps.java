package io.offlinedetector.testing;

import io.offlinedetector.App;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Starts real detector instances in the test's JVM, as {@code run} does: {@link App#start} with the
 * configuration {@link ConfigLoader} builds from flags and a {@code --config} file. Every integration
 * test that runs an instance in-process starts it here.
 *
 * <p>Each instance listens on loopback on a free HTTP port, keeps its state where the test says,
 * and checks for due devices every 500 ms.
 */
public final class DetectorApps {

    /** The default timeout of {@link #start}: short, so that a silent device shows within seconds. */
    public static final String TEST_TIMEOUT = "4s";

    private DetectorApps() {}

    /**
     * An instance with the test defaults: a 4 s default timeout and 500 ms checks.
     *
     * @param overrides settings beyond the test defaults, or replacing them
     */
    public static App start(KafkaBroker broker, String applicationId, Path stateDir, Map<Setting, String> overrides) {
        Map<Setting, String> flags = instance(broker, applicationId, stateDir);
        flags.put(Setting.DEFAULT_TIMEOUT, TEST_TIMEOUT);
        flags.putAll(overrides);
        return start(flags, null);
    }

    /** An instance with the product's default timeout, for tests whose devices name their own. */
    public static App startWithProductTimeouts(KafkaBroker broker, String applicationId, Path stateDir) {
        return startWithProductTimeouts(broker, applicationId, stateDir, null);
    }

    /**
     * An instance with the product's default timeout, and more settings from a {@code --config}
     * file, such as Kafka client properties; the flags set here win over the file.
     */
    public static App startWithProductTimeouts(KafkaBroker broker, String applicationId, Path stateDir, Path configFile) {
        return start(instance(broker, applicationId, stateDir), configFile);
    }

    /**
     * An instance configured by its {@code --config} file alone, as an operator starts one: for what
     * only a file carries, such as a SASL login.
     */
    public static App startFromConfigFile(Path configFile) {
        return start(Map.of(), configFile);
    }

    /** What every instance here gets: its broker, application id and state, loopback, a free port, 500 ms checks. */
    private static Map<Setting, String> instance(KafkaBroker broker, String applicationId, Path stateDir) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        flags.put(Setting.APPLICATION_ID, applicationId);
        flags.put(Setting.HTTP_BIND, "127.0.0.1");
        flags.put(Setting.HTTP_PORT, "0");
        flags.put(Setting.STATE_DIR, stateDir.toString());
        flags.put(Setting.CHECK_INTERVAL, "500ms");
        return flags;
    }

    private static App start(Map<Setting, String> flags, Path configFile) {
        return App.start(ConfigLoader.load(flags, Map.of(), Map.of(), configFile));
    }
}
