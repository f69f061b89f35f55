package io.offlinedetector.simulator;

import io.offlinedetector.cli.KafkaConnection;
import io.offlinedetector.config.DetectorConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code simulate}: heartbeats of a simulated fleet, at a steady rate, with a share of the devices
 * going silent for a while and coming back, and a {@link Scenario} on top: a storm, an outage,
 * flapping devices or devices with skewed clocks. The run is always bounded by {@code --duration};
 * a progress bar shows the rate and the time left.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, defaultValueProvider = SimulateCommand.FleetDefaults.class,
        description = "Send the heartbeats of a simulated fleet: each device once per interval, "
                + "some devices going silent for a while and coming back, and a scenario on top.")
public final class SimulateCommand implements Callable<Integer> {

    /** On a terminal the bar is redrawn in place every second; elsewhere a line is printed now and then. */
    private static final Duration REDRAW_EVERY = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Back to the start of the line and clear it: the bar replaces itself. */
    private static final String REDRAW = "\r\u001b[K";
    private static final String KAFKA_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    /** The cluster and its security settings, as {@code watch} and {@code topics} reach it. */
    @Mixin
    KafkaConnection kafka;

    @Mixin
    FleetOptions fleetOptions;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m",
            description = "how long to run (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "device-",
            description = "device id prefix; device ids are <prefix>0 .. <prefix>N-1 (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "steady",
            description = {"what happens besides the steady heartbeats (default ${DEFAULT-VALUE}):",
                "steady: nothing more;",
                "storm: at --at every device sends at once, then steady again;",
                "outage: at --at every device goes silent for --silence, then comes back;",
                "flapping: --affected devices ask for a timeout of 1.5 intervals and skip every third heartbeat, "
                        + "so they go OFFLINE and back every three intervals;",
                "clock-skew: --affected devices stamp heartbeats --skew ahead of or behind the real time"})
    Scenario.Kind scenario;

    @Option(names = "--at", paramLabel = "DURATION",
            description = "when the storm or outage happens, from the start (default: a third into the run)")
    Duration at;

    @Option(names = "--affected", paramLabel = "SHARE", defaultValue = "0.1",
            description = "share of devices, 0 to 1, that flap or whose clocks are off (default ${DEFAULT-VALUE})")
    double affected;

    @Option(names = "--skew", paramLabel = "DURATION", defaultValue = "2m",
            description = "how far off the skewed clocks are, half ahead and half behind (default ${DEFAULT-VALUE})")
    Duration skew;

    /** The checked settings, or a {@link io.offlinedetector.config.StartupException} naming the bad option. */
    FleetSettings settings() {
        return fleetOptions.settings(duration, prefix, PROGRESS_EVERY,
                new Scenario(scenario, at == null ? duration.dividedBy(3) : at, affected, skew));
    }

    @Override
    public Integer call() throws InterruptedException {
        FleetSettings settings = settings();
        DetectorConfig cluster = kafka.load();
        // The progress lines are the output; the Kafka clients' INFO (config dumps) would bury them.
        // Only takes effect before the first logger exists, as when 'simulate' is the command.
        if (System.getProperty(KAFKA_LOG_LEVEL) == null) {
            System.setProperty(KAFKA_LOG_LEVEL, "warn");
        }
        PrintStream out = System.out;
        out.println("Simulating " + settings.describe() + ", to " + cluster.bootstrapServers());
        boolean terminal = System.console() != null;
        FleetSimulator simulator = FleetSimulator.start(settings.withProgressEvery(terminal ? REDRAW_EVERY : PROGRESS_EVERY), cluster,
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

    /** A steady fleet of a thousand devices, as a load test would start. */
    static final class FleetDefaults extends FleetOptions.Defaults {
        private FleetDefaults() {
            super(1000, "10s", "0.1", "");
        }
    }
}
