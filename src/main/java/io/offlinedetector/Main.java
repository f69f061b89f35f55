package io.offlinedetector;

import io.offlinedetector.bench.BenchCommand;
import io.offlinedetector.cli.RunCommand;
import io.offlinedetector.cli.TopicsCommand;
import io.offlinedetector.cli.WatchCommand;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.local.ClusterCommand;
import io.offlinedetector.local.LocalCommand;
import io.offlinedetector.simulator.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The jar's entry point: {@code run}, {@code topics}, {@code simulate}, {@code local}, {@code watch}, {@code cluster}. */
@Command(
        name = "offline-detector",
        mixinStandardHelpOptions = true,
        version = "offline-detector 0.1.0",
        description = "Publishes device ONLINE/OFFLINE transitions from a Kafka heartbeat stream.",
        subcommands = {RunCommand.class, TopicsCommand.class, SimulateCommand.class, LocalCommand.class, WatchCommand.class, ClusterCommand.class,
                BenchCommand.class})
public final class Main {

    /** Exit status of bad configuration and other start-up refusals. */
    public static final int CONFIG_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        RunCommand.addSettingOptions(commandLine.getSubcommands().get("run").getCommandSpec());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof StartupException) {
                cmd.getErr().println("offline-detector: " + e.getMessage());
                return CONFIG_ERROR;
            }
            throw e;
        });
        return commandLine;
    }
}
