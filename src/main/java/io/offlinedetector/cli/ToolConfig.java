package io.offlinedetector.cli;

import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration of a tool beside {@code run} ({@code watch}, {@code topics}): the detector's own
 * file and environment, so that the tools reach the cluster the detector reaches, with its
 * {@code --bootstrap-servers} flag the only one they share with {@code run}.
 */
final class ToolConfig {

    private ToolConfig() {}

    /**
     * @param bootstrapServers the tool's {@code --bootstrap-servers}, or {@code null} when not given
     * @param configFile       its {@code --config}, or {@code null} ({@code OD_CONFIG} then applies)
     */
    static DetectorConfig load(String bootstrapServers, Path configFile) {
        Map<Setting, String> flags = bootstrapServers == null ? Map.of() : Map.of(Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        return ConfigLoader.load(flags, Map.of(), System.getenv(), configFile);
    }
}
