package io.offlinedetector.cli;

import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka connection of every command that talks to the detector's cluster beside {@code run}
 * ({@code topics}, {@code watch}, {@code simulate}): the detector's own file and environment, so
 * that the tools reach the cluster the detector reaches, security settings included.
 * {@code run} has the same two options among those generated from {@link Setting}.
 */
public final class KafkaConnection {

    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Kafka bootstrap servers (env OD_BOOTSTRAP_SERVERS, file bootstrap.servers, default 127.0.0.1:9092)")
    private String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the detector's properties file (env OD_CONFIG): its bootstrap.servers and its Kafka client settings, "
                    + "such as security.protocol, sasl.* and ssl.*, apply to this command's Kafka clients")
    private Path configFile;

    /**
     * The connection as the detector would load it: {@code --bootstrap-servers} › {@code OD_BOOTSTRAP_SERVERS}
     * › the file's {@code bootstrap.servers} › the default, and the file's Kafka client properties.
     *
     * @throws io.offlinedetector.config.StartupException when the file or the environment is bad
     */
    public DetectorConfig load() {
        Map<Setting, String> flags = bootstrapServers == null ? Map.of() : Map.of(Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        return ConfigLoader.load(flags, Map.of(), System.getenv(), configFile);
    }
}
