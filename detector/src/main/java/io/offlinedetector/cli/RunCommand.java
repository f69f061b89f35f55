package io.offlinedetector.cli;

import io.offlinedetector.App;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code run}: one detector instance, stream processing and HTTP API, until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one detector instance: stream processing and the HTTP API.",
        footer = {"", "Each option may also come from the environment (OD_<NAME>) or the --config file; "
                + "a flag beats the environment, which beats the file, which beats the default."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file with detector settings and Kafka Streams/client properties (env OD_CONFIG)")
    private Path configFile;

    @Option(names = "--type-timeout", paramLabel = "TYPE=DURATION",
            description = "timeout of one device type, such as thermostat=10m (file: timeout.types.<type>)")
    private Map<String, String> typeTimeouts = Map.of();

    /** One option per {@link Setting}, generated so that flag, env and file key never drift apart. */
    public static void addSettingOptions(CommandSpec spec) {
        for (Setting setting : Setting.values()) {
            String fallback = setting.defaultValue() == null ? "" : ", default " + setting.defaultValue();
            spec.addOption(OptionSpec.builder("--" + setting.flag())
                    .paramLabel("<" + setting.flag().replace('-', '_') + ">")
                    .type(String.class)
                    .description(setting.description() + " (env " + setting.env() + ", file " + setting.key() + fallback + ")")
                    .build());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        DetectorConfig config = ConfigLoader.load(flags(spec.commandLine().getParseResult()), typeTimeouts, System.getenv(), configFile);
        App app = App.start(config);
        Thread shutdown = new Thread(app::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        app.awaitStop();
        return app.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR ? 1 : 0;
    }

    static Map<Setting, String> flags(ParseResult parsed) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            if (parsed.hasMatchedOption("--" + setting.flag())) {
                flags.put(setting, parsed.matchedOptionValue("--" + setting.flag(), (String) null));
            }
        }
        return flags;
    }
}
