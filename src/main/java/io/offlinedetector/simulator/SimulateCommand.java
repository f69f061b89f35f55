package io.offlinedetector.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: heartbeats of a simulated fleet, at a steady rate, with a share of the devices
 * going silent for a while and coming back, and a {@link Scenario} on top: a storm, an outage,
 * flapping devices or devices with skewed clocks. The run is always bounded by {@code --duration};
 * a progress bar shows the rate and the time left.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Send the heartbeats of a simulated fleet: each device once per interval, "
                + "some devices going silent for a while and coming back, and a scenario on top.")
public final class SimulateCommand implements Callable<Integer> {

    /** On a terminal the bar is redrawn in place every second; elsewhere a line is printed now and then. */
    private static final Duration REDRAW_EVERY = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Back to the start of the line and clear it: the bar replaces itself. */
    private static final String REDRAW = "\r\u001b[K";
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

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "steady",
            description = {"what happens besides the steady heartbeats (default ${DEFAULT-VALUE}):",
                "steady: nothing more;",
                "storm: at --at every device sends at once, then steady again;",
                "outage: at --at every device goes silent for --silence, then comes back;",
                "flapping: --affected devices ask for a timeout of 1.5 intervals and skip every third heartbeat, "
                        + "so they go OFFLINE and back every three intervals;",
                "clock-skew: --affected devices stamp heartbeats --skew ahead of or behind the real time"})
    String scenario;

    @Option(names = "--at", paramLabel = "DURATION",
            description = "when the storm or outage happens, from the start (default: a third into the run)")
    String at;

    @Option(names = "--affected", paramLabel = "SHARE", defaultValue = "0.1",
            description = "share of devices, 0 to 1, that flap or whose clocks are off (default ${DEFAULT-VALUE})")
    String affected;

    @Option(names = "--skew", paramLabel = "DURATION", defaultValue = "2m",
            description = "how far off the skewed clocks are, half ahead and half behind (default ${DEFAULT-VALUE})")
    String skew;

    /** The checked settings, or a {@link io.offlinedetector.config.StartupException} naming the bad option. */
    FleetSettings settings() {
        Duration runFor = OptionValues.positiveDuration("--duration", duration);
        return new FleetSettings(
                bootstrapServers,
                OptionValues.integer("--devices", devices, 1, FleetSettings.MAX_DEVICES),
                OptionValues.positiveDuration("--interval", interval),
                OptionValues.share("--dropout", dropout),
                OptionValues.positiveDuration("--silence", silence),
                OptionValues.list(types),
                runFor,
                prefix,
                OptionValues.longValue("--seed", seed),
                PROGRESS_EVERY,
                new Scenario(Scenario.Kind.of(scenario),
                        at == null ? runFor.dividedBy(3) : OptionValues.duration("--at", at),
                        OptionValues.share("--affected", affected),
                        OptionValues.duration("--skew", skew)));
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
        boolean terminal = System.console() != null;
        FleetSimulator simulator = FleetSimulator.start(settings.withProgressEvery(terminal ? REDRAW_EVERY : PROGRESS_EVERY),
                progress -> {
                    if (terminal) {
                        out.print(REDRAW + progress.bar());
                        out.flush();
                    } else {
                        out.println(progress.bar());
                    }
                });
        // Ctrl-C: the shutdown hook stops the run and reports, as the JVM may halt before this thread can.
        AtomicBoolean reported = new AtomicBoolean();
        Runnable finish = () -> {
            simulator.close();
            if (reported.compareAndSet(false, true)) {
                out.println((terminal ? REDRAW : "") + "Done: " + simulator.progress().line());
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
