package io.offlinedetector;

import io.offlinedetector.bench.BenchCommand;
import io.offlinedetector.cli.OptionConverters;
import io.offlinedetector.cli.RunCommand;
import io.offlinedetector.cli.TopicsCommand;
import io.offlinedetector.cli.WatchCommand;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.local.ClusterCommand;
import io.offlinedetector.local.LocalCommand;
import io.offlinedetector.simulator.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The jar's entry point: {@code run}, {@code topics}, {@code simulate}, {@code local}, {@code watch}, {@code cluster}. */
@Command(
        name = "offline-detector",
        mixinStandardHelpOptions = true,
        version = "offline-detector 0.1.0",
        description = "Publishes device ONLINE/OFFLINE transitions from a Kafka heartbeat stream.",
        subcommands = {RunCommand.class, TopicsCommand.class, SimulateCommand.class, LocalCommand.class, WatchCommand.class, ClusterCommand.class,
                BenchCommand.class})
public final class Main {

    /** Exit status of bad configuration, bad options and other start-up refusals. */
    public static final int CONFIG_ERROR = 2;

    private static final String PREFIX = "offline-detector: ";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        RunCommand.addSettingOptions(commandLine.getSubcommands().get("run").getCommandSpec());
        // After the subcommands exist: these settings reach every one of them.
        OptionConverters.register(commandLine);
        commandLine.setParameterExceptionHandler(Main::badOption);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof StartupException) {
                cmd.getErr().println(PREFIX + e.getMessage());
                return CONFIG_ERROR;
            }
            throw e;
        });
        return commandLine;
    }

    /** A bad option is refused as bad configuration is: one line that names it, and exit status 2. */
    private static int badOption(ParameterException e, String[] args) {
        e.getCommandLine().getErr().println(PREFIX + message(e));
        return CONFIG_ERROR;
    }

    /** A value that does not convert reads as the configuration's errors do: {@code --interval: '10 parsecs' is not a duration; ...}. */
    private static String message(ParameterException e) {
        if (e.getCause() instanceof TypeConversionException conversion && e.getArgSpec() instanceof OptionSpec option) {
            return option.longestName() + ": " + conversion.getMessage();
        }
        return e.getMessage();
    }
}
