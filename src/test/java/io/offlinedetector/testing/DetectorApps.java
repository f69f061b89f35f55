package io.offlinedetector.testing;

import io.offlinedetector.App;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Starts real detector instances for integration tests: loopback, a free HTTP port, short timeouts. */
public final class DetectorApps {

    private DetectorApps() {}

    /**
     * @param overrides settings beyond the test defaults (4 s timeout, 500 ms checks)
     */
    public static App start(KafkaBroker broker, String applicationId, Path stateDir, Map<Setting, String> overrides) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        flags.put(Setting.APPLICATION_ID, applicationId);
        flags.put(Setting.HTTP_BIND, "127.0.0.1");
        flags.put(Setting.HTTP_PORT, "0");
        flags.put(Setting.STATE_DIR, stateDir.toString());
        flags.put(Setting.DEFAULT_TIMEOUT, "4s");
        flags.put(Setting.CHECK_INTERVAL, "500ms");
        flags.putAll(overrides);
        return App.start(ConfigLoader.load(flags, Map.of(), Map.of(), null));
    }
}
