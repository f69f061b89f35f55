package io.offlinedetector.cli;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Durations;
import io.offlinedetector.domain.Status;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.feed.StatusPrinter;
import io.offlinedetector.feed.StatusTail;
import io.offlinedetector.topology.Names;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code watch}: the status events as they happen, one coloured line each, for the people on call.
 * Event lines go to stdout, everything else to stderr, so that the output pipes cleanly.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Show device status events as they happen, one line each: ONLINE in green, OFFLINE in red.")
public final class WatchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    KafkaConnection kafka;

    @Option(names = "--device", paramLabel = "ID",
            description = "only this device; * matches any text, as in 'sensor-*' (quote it in the shell)")
    String device;

    @Option(names = "--status", paramLabel = "STATUS", description = "only events to this status: ONLINE or OFFLINE")
    Status status;

    @Option(names = "--from-beginning",
            description = "first the latest event of every device still in the topic, then new ones (default: new ones only)")
    boolean fromBeginning;

    @Option(names = "--no-color", description = "no colours (they are also off when the output is not a terminal, or NO_COLOR is set)")
    boolean noColor;

    @Option(names = "--max-events", paramLabel = "N", description = "stop after showing N events")
    Integer maxEvents;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "7d",
            description = "stop after this long (default ${DEFAULT-VALUE}); Ctrl-C stops sooner")
    Duration duration;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "how long to wait for Kafka at the start (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        StatusFilter filter = new StatusFilter(status, device);
        long max = maxEvents == null ? Long.MAX_VALUE : OptionChecks.between("--max-events", maxEvents, 1, Integer.MAX_VALUE);
        Duration runFor = OptionChecks.positive("--duration", duration);
        Duration wait = OptionChecks.positive("--timeout", timeout);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StatusPrinter printer = new StatusPrinter(filter, useColor(), out::println, err::println, max);
        StatusTail.From from = fromBeginning ? StatusTail.From.BEGINNING : StatusTail.From.END;

        DetectorConfig config = kafka.load();
        StatusTail tail = StatusTail.start(KafkaProperties.statusReader(config, "offline-detector-watch"), from, printer, wait);
        Thread shutdown = new Thread(tail::close, "watch-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            err.println("Watching " + Names.STATUS_TOPIC + " on " + config.bootstrapServers() + (fromBeginning ? " from the beginning" : " from now")
                    + " (" + filter + ", committed events only) for at most " + Durations.format(runFor) + "; Ctrl-C stops.");
            printer.awaitDone(runFor);
        } finally {
            tail.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdown);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook has closed the tail
            }
        }
        if (printer.failure() != null) {
            err.println("offline-detector: " + printer.failure().getMessage());
            return 1;
        }
        return 0;
    }

    /** Colours only for a person at a terminal (https://no-color.org). */
    private boolean useColor() {
        return !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
    }
}
