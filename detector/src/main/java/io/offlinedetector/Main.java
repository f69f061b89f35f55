package io.offlinedetector;

import io.offlinedetector.cli.OptionConverters;
import io.offlinedetector.cli.RunCommand;
import io.offlinedetector.cli.TopicsCommand;
import io.offlinedetector.cli.WatchCommand;
import io.offlinedetector.config.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The product jar's entry point: {@code run}, {@code topics}, {@code watch}. The simulator, the local
 * demo and the bench have jars of their own (modules tools and bench), whose entry points share
 * this one's option converters and error handling through {@link #configure}.
 */
@Command(
        name = "offline-detector",
        mixinStandardHelpOptions = true,
        version = "offline-detector 0.1.0",
        description = "Publishes device ONLINE/OFFLINE transitions from a Kafka heartbeat stream.",
        subcommands = {RunCommand.class, TopicsCommand.class, WatchCommand.class})
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
        return configure(commandLine);
    }

    /**
     * What every entry point of the project shares: the option converters, one-line errors for bad
     * options and start-up refusals, and exit status {@link #CONFIG_ERROR} for both. Call it once
     * the subcommands are added: these settings reach every one of them.
     */
    public static CommandLine configure(CommandLine commandLine) {
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
