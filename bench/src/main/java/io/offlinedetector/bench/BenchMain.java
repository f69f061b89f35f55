package io.offlinedetector.bench;

import io.offlinedetector.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bench jar's entry point: {@code bench}, kept out of the product jar. Options and errors read
 * as the product's do ({@link Main#configure}).
 */
@Command(
        name = "offline-detector-bench",
        mixinStandardHelpOptions = true,
        version = "offline-detector-bench 0.1.0",
        description = "Measures Offline Detector against its performance targets on a real broker.",
        subcommands = BenchCommand.class)
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return Main.configure(new CommandLine(new BenchMain()));
    }
}
