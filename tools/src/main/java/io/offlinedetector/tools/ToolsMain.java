package io.offlinedetector.tools;

import io.offlinedetector.Main;
import io.offlinedetector.cli.OptionConverters;
import io.offlinedetector.local.ClusterCommand;
import io.offlinedetector.local.LocalCommand;
import io.offlinedetector.simulator.Scenario;
import io.offlinedetector.simulator.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The tools jar's entry point: {@code simulate}, {@code local}, {@code cluster}. They surround the
 * product and are kept out of its jar; options and errors read as the product's do ({@link Main#configure}).
 */
@Command(
        name = "offline-detector-tools",
        mixinStandardHelpOptions = true,
        version = "offline-detector-tools 0.1.0",
        description = "A simulated fleet, the one-command local demo and a local Kafka cluster for Offline Detector.",
        subcommands = {SimulateCommand.class, LocalCommand.class, ClusterCommand.class})
public final class ToolsMain {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = Main.configure(new CommandLine(new ToolsMain()));
        commandLine.registerConverter(Scenario.Kind.class, OptionConverters.parsing(Scenario.Kind::of));
        return commandLine;
    }
}
