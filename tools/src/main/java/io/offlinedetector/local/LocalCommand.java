package io.offlinedetector.local;

import io.offlinedetector.App;
import io.offlinedetector.cli.OptionChecks;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Durations;
import io.offlinedetector.config.Setting;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.feed.StatusPrinter;
import io.offlinedetector.feed.StatusTail;
import io.offlinedetector.simulator.FleetOptions;
import io.offlinedetector.simulator.FleetSettings;
import io.offlinedetector.simulator.FleetSimulator;
import io.offlinedetector.simulator.Scenario;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code local}: the README's first command. With no Kafka at hand, it starts a real single-node
 * Kafka broker in its own JVM, one detector in this one, and a simulated fleet whose devices go
 * silent and come back; prints where to look and every status event as it happens; and on Ctrl-C
 * stops everything, in order: fleet, event tail, detector, broker.
 */
@Command(name = "local", mixinStandardHelpOptions = true, defaultValueProvider = LocalCommand.FleetDefaults.class,
        description = {"Try it out with no Kafka at hand: starts a real single-node Kafka broker (KRaft) in its own JVM, "
                + "one detector and a simulated fleet whose devices go silent and come back, prints where to look and "
                + "every status event as it happens, and stops everything on Ctrl-C."})
public final class LocalCommand implements Callable<Integer> {

    static final String APPLICATION_ID = "offline-detector-local";
    /** Marks a data directory as made by this command, so that it is the only kind ever wiped. */
    static final String MARKER = ".offline-detector-local";
    private static final Duration FLEET_REPORT_EVERY = Duration.ofSeconds(30);
    private static final Duration TAIL_START_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "port of the local Kafka broker on 127.0.0.1, 0 for a free one (default ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "port of the detector's HTTP API on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "local-run",
            description = "where the broker's data, the detector's state and both logs go; emptied on each start "
                    + "unless --keep-data (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--keep-data", description = "continue from the previous run's broker data and detector state")
    boolean keepData;

    @Mixin
    FleetOptions fleetOptions;

    @Option(names = "--default-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "the detector's timeout: silent this long means OFFLINE (default ${DEFAULT-VALUE})")
    Duration defaultTimeout;

    @Option(names = "--check-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "how often the detector checks for due devices (default ${DEFAULT-VALUE})")
    Duration checkInterval;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "8h",
            description = "stop by itself after this long (default ${DEFAULT-VALUE})")
    Duration duration;

    /** What is running, most recently started on top: closed in reverse order of start. */
    private final Deque<Running> running = new ArrayDeque<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Guarded by {@link #running}: set once stopping began; nothing may start after it. */
    private boolean stopping;
    /** Set when the JVM is being stopped (Ctrl-C, SIGTERM). */
    private volatile boolean signalled;

    private record Running(String name, AutoCloseable resource) {}

    /** Thrown on the main thread when Ctrl-C came while it was still starting things. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super(null, null, false, false);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        int brokerPort = OptionChecks.between("--kafka-port", kafkaPort, 0, 65_535);
        int apiPort = OptionChecks.between("--http-port", httpPort, 1, 65_535);
        Duration runFor = OptionChecks.positive("--duration", duration);
        OptionChecks.positive("--default-timeout", defaultTimeout);
        OptionChecks.positive("--check-interval", checkInterval);
        FleetSettings fleet = fleetSettings();
        BrokerClasspath.locate();   // fails now, with "run mvn package first", rather than after the checks below
        requireFree(brokerPort, "--kafka-port", "Kafka");
        requireFree(apiPort, "--http-port", "HTTP");
        Path dir = prepareDataDir();
        logToFile(dir.resolve("detector.log"));

        Thread hook = new Thread(() -> {
            signalled = true;
            shutdown();
        }, "local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(brokerPort, apiPort, runFor, fleet, dir);
        } catch (RuntimeException e) {
            if (signalled) {
                return 130;
            }
            throw e;
        } finally {
            shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already stopping; the hook has done its work
            }
        }
    }

    private int run(int brokerPort, int apiPort, Duration runFor, FleetSettings fleet, Path dir) throws InterruptedException {
        PrintStream out = System.out;
        out.printf("Starting a single-node Kafka broker (KRaft) on %s:%d in its own JVM ...%n", LocalBroker.HOST, brokerPort);
        LocalBroker broker = register("Kafka broker", LocalBroker.launch(LocalBroker.Settings.singleNode(dir.resolve("broker"), brokerPort)));
        broker.awaitReady(LocalBroker.START_TIMEOUT);
        String bootstrap = broker.bootstrapServers();
        out.printf("Kafka broker ready on %s%n", bootstrap);

        out.println("Starting the detector ...");
        DetectorConfig config = detectorConfig(bootstrap, apiPort, dir);
        App app = register("detector", App.start(config));
        register("status event tail", StatusTail.start(StatusTail.consumerProperties(bootstrap, "local-status-tail"), StatusTail.From.END,
                new StatusPrinter(StatusFilter.ALL, false, out::println, out::println, Long.MAX_VALUE), TAIL_START_TIMEOUT));
        String base = app.url().toString();
        out.println();
        out.println("Offline Detector is running. Look at it with:");
        out.println("  the dashboard: " + base + "/");
        out.println("  curl " + base + "/stats");
        out.println("  curl '" + base + "/devices?status=OFFLINE'");
        out.println("  curl " + base + "/devices/" + fleet.deviceId(0));
        out.println("  curl " + base + "/metrics");
        out.println("  java -jar detector/target/offline-detector.jar watch --bootstrap-servers " + bootstrap + " --status OFFLINE");
        out.println("Kafka bootstrap server: " + bootstrap + " (topics " + Names.HEARTBEATS_TOPIC + ", " + Names.STATUS_TOPIC
                + ", " + Names.DLQ_TOPIC + ")");
        out.println("Detector: timeout " + Durations.format(defaultTimeout) + ", checked every " + Durations.format(checkInterval)
                + "; logs in " + dir);
        out.println("Fleet: " + fleet.describe() + ", to " + bootstrap);
        out.println("Stop with Ctrl-C (or it stops by itself after " + Durations.format(runFor) + ").");
        out.println();
        out.println("Status events on " + Names.STATUS_TOPIC + " as they happen (time = changedAt, UTC):");
        register("fleet simulator", FleetSimulator.start(fleet, config,
                progress -> out.println("[fleet] " + progress.line() + "   (curl " + base + "/stats)")));

        Thread watch = new Thread(() -> {
            try {
                app.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.countDown();
        }, "detector-watch");
        watch.setDaemon(true);
        watch.start();

        boolean stopped = stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        if (signalled) {
            return 130;
        }
        if (stopped) {
            System.err.println("offline-detector: the detector stopped (" + app.state() + "); see " + dir.resolve("detector.log"));
            return 1;
        }
        out.println("Ran for " + Durations.format(runFor) + " (--duration); stopping.");
        return 0;
    }

    /** The detector's configuration: explicit flags only, so that the demo does not depend on the environment. */
    private DetectorConfig detectorConfig(String bootstrap, int apiPort, Path dir) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.BOOTSTRAP_SERVERS, bootstrap);
        flags.put(Setting.APPLICATION_ID, APPLICATION_ID);
        flags.put(Setting.HTTP_BIND, LocalBroker.HOST);
        flags.put(Setting.HTTP_PORT, Integer.toString(apiPort));
        flags.put(Setting.STATE_DIR, dir.resolve("state").toString());
        flags.put(Setting.DEFAULT_TIMEOUT, Durations.format(defaultTimeout));
        flags.put(Setting.CHECK_INTERVAL, Durations.format(checkInterval));
        return ConfigLoader.load(flags, Map.of(), Map.of(), null);
    }

    FleetSettings fleetSettings() {
        return fleetOptions.settings(duration, "device-", FLEET_REPORT_EVERY, Scenario.STEADY);
    }

    private <T extends AutoCloseable> T register(String name, T resource) {
        synchronized (running) {
            if (!stopping) {
                running.push(new Running(name, resource));
                return resource;
            }
        }
        close(new Running(name, resource));
        throw new Stopping();
    }

    /** Stops whatever runs, newest first; idempotent, and safe from the shutdown hook and the main thread at once. */
    private void shutdown() {
        stop.countDown();
        synchronized (running) {
            stopping = true;
            if (running.isEmpty()) {
                return;
            }
            System.out.println();
            System.out.println("Stopping ...");
            while (!running.isEmpty()) {
                close(running.pop());
            }
            System.out.println("Stopped; nothing left running.");
        }
    }

    private static void close(Running running) {
        System.out.println("  stopping the " + running.name());
        try {
            running.resource().close();
        } catch (Exception e) {
            System.err.println("offline-detector: stopping the " + running.name() + " failed: " + e);
        }
    }

    private static void requireFree(int port, String option, String what) {
        if (port != 0 && !LocalBroker.isFree(port)) {
            throw new StartupException(what + " port " + port + " on " + LocalBroker.HOST
                    + " is already in use (an earlier run still going?); stop what uses it or choose another with " + option);
        }
    }

    /** The data directory, emptied unless --keep-data; only ever one that this command made. */
    private Path prepareDataDir() {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new StartupException("--data-dir " + dir + " is not a directory");
            }
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                if (!Files.exists(dir.resolve(MARKER))) {
                    throw new StartupException("--data-dir " + dir + " is not empty and was not made by 'local'; choose another directory");
                }
                if (!keepData) {
                    deleteContents(dir);
                }
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKER),
                    "Made by 'offline-detector local'; emptied on each of its starts unless --keep-data.\n");
            return dir;
        } catch (IOException | UncheckedIOException e) {
            throw new StartupException("cannot prepare --data-dir " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * Sends this JVM's log (Kafka Streams and clients log a lot at INFO) to a file, so that the
     * console shows the events. Only works before the first logger exists, which is the case when
     * {@code local} is the command; does not override settings given with {@code -D}.
     */
    private static void logToFile(Path file) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", file.toString());
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** A small lively fleet: on a laptop, with a 10 s timeout, something changes every few seconds. */
    static final class FleetDefaults extends FleetOptions.Defaults {
        private FleetDefaults() {
            super(200, "2s", "0.2", "thermostat,camera,gateway");
        }
    }
}
