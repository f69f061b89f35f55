package io.offlinedetector.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: heartbeats of a simulated fleet, at a steady rate, with a share of the devices
 * going silent for a while and coming back. The run is always bounded by {@code --duration}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Send the heartbeats of a simulated fleet: each device once per interval, "
                + "some devices going silent for a while and coming back.")
public final class SimulateCommand implements Callable<Integer> {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final String KAFKA_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    // Values are read as text and checked by OptionValues: a bad value is one clear line.
    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", defaultValue = "${env:OD_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env OD_BOOTSTRAP_SERVERS, default ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "1000", description = "fleet size (default ${DEFAULT-VALUE})")
    String devices;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "heartbeat interval of each device (default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--dropout", paramLabel = "SHARE", defaultValue = "0.1",
            description = "share of devices, 0 to 1, that go silent for a while and then come back (default ${DEFAULT-VALUE})")
    String dropout;

    @Option(names = "--silence", paramLabel = "DURATION", defaultValue = "30s",
            description = "how long a device that drops out stays silent (default ${DEFAULT-VALUE})")
    String silence;

    @Option(names = "--types", paramLabel = "TYPE,...", defaultValue = "",
            description = "device types, assigned round-robin and sent as {\"deviceType\":\"...\"}; none: empty values")
    String types;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m",
            description = "how long to run (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "device-",
            description = "device id prefix; device ids are <prefix>0 .. <prefix>N-1 (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--seed", paramLabel = "NUMBER", defaultValue = "1",
            description = "seed of the dropout pattern: the same seed silences the same devices at the same times (default ${DEFAULT-VALUE})")
    String seed;

    /** The checked settings, or a {@link io.offlinedetector.config.ConfigException} naming the bad option. */
    FleetSettings settings() {
        return new FleetSettings(
                bootstrapServers,
                OptionValues.integer("--devices", devices, 1, FleetSettings.MAX_DEVICES),
                OptionValues.positiveDuration("--interval", interval),
                OptionValues.share("--dropout", dropout),
                OptionValues.positiveDuration("--silence", silence),
                OptionValues.list(types),
                OptionValues.positiveDuration("--duration", duration),
                prefix,
                OptionValues.longValue("--seed", seed),
                PROGRESS_EVERY);
    }

    @Override
    public Integer call() throws InterruptedException {
        FleetSettings settings = settings();
        // The progress lines are the output; the Kafka clients' INFO (config dumps) would bury them.
        // Only takes effect before the first logger exists, as when 'simulate' is the command.
        if (System.getProperty(KAFKA_LOG_LEVEL) == null) {
            System.setProperty(KAFKA_LOG_LEVEL, "warn");
        }
        PrintStream out = System.out;
        out.println("Simulating " + settings.describe());
        FleetSimulator simulator = FleetSimulator.start(settings, progress -> out.println(progress.line()));
        // Ctrl-C: the shutdown hook stops the run and reports, as the JVM may halt before this thread can.
        AtomicBoolean reported = new AtomicBoolean();
        Runnable finish = () -> {
            simulator.close();
            if (reported.compareAndSet(false, true)) {
                out.println("Done: " + simulator.progress().line());
            }
        };
        Thread shutdown = new Thread(finish, "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            simulator.awaitCompletion(settings.duration().plusMinutes(1));
        } finally {
            finish.run();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdown);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook has done the same
            }
        }
        Progress total = simulator.progress();
        if (total.errors() > 0) {
            System.err.println("offline-detector: " + total.errors() + " heartbeats were not sent; first error: " + simulator.firstError());
            return 1;
        }
        return 0;
    }
}
