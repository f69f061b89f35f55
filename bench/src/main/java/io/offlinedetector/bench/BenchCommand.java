package io.offlinedetector.bench;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.ByteSize;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import io.offlinedetector.local.LocalBroker;
import io.offlinedetector.progress.EndOffsetMonitor;
import io.offlinedetector.rocksdb.BoundedMemoryRocksDBConfig;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import io.offlinedetector.topology.DetectorTopology;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.Rerouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: measures the detector against its targets (docs/performance.md) on a real broker
 * and prints a table, also written to {@code report.md} and {@code report.json}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure catch-up throughput (against a get+put baseline), timer cost, detection, queries, footprint, recovery and failover.")
public final class BenchCommand implements Callable<Integer> {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The fleet size the timer, footprint and recovery targets are stated for (docs/performance.md,
     * 'Targets').
     */
    static final long FLEET = 1_000_000;
    /** Timeout of the preloaded fleet: no device of the backlog comes due while the bench runs. */
    private static final String FLEET_TIMEOUT = "2h";
    /**
     * Devices that stop at once in the detection phase (docs/performance.md, 'What each phase
     * does').
     */
    private static final int DETECTION_DEVICES = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--bootstrap-servers", description = "use this cluster instead of starting a local broker")
    private String bootstrapServers;

    @Option(names = "--quick", description = "a short run: 200,000 heartbeats for 50,000 devices, a fleet of 100,000")
    private boolean quick;

    @Option(names = "--heartbeats", description = "heartbeats to preload (default 2,000,000; --quick 200,000)")
    private Long heartbeats;

    @Option(names = "--devices", description = "devices they come from (default 500,000; --quick 50,000)")
    private Long devices;

    @Option(names = "--fleet", description = "devices of the fleet stage (d. queries, e. detector footprint, f. failover and fresh restore), "
            + "2 detector JVMs on the product jar; default 1,000,000, --quick 100,000, 0 skips it. It empties the heartbeats topic first")
    private Long fleet;

    @Option(names = "--fleet-only", description = "run only the fleet stage (d, e, f), not the catch-up, timer, detection and recovery phases")
    private boolean fleetOnly;

    @Option(names = "--fleet-heap", defaultValue = "384m", description = "-Xmx of each detector JVM of the fleet stage (default ${DEFAULT-VALUE})")
    private ByteSize fleetHeap;

    @Option(names = "--fleet-config", paramLabel = "FILE",
            description = "the detector JVMs' --config file, e.g. with session.timeout.ms=6000 as a deployment sets it (default: none)")
    private Path fleetConfig;

    @Option(names = "--alerts", description = "devices of the alert stage (g. the Alertmanager client), one in "
            + AlertStage.OFFLINE_EVERY + " OFFLINE, one detector JVM; default 1,000,000, --quick 100,000, 0 skips it. It empties the heartbeats topic first")
    private Long alerts;

    @Option(names = "--alerts-only", description = "run only the alert stage (g)")
    private boolean alertsOnly;

    @Option(names = "--repeat", defaultValue = "3", description = "catch-up runs of each side; medians are compared (default ${DEFAULT-VALUE})")
    private int repeat;

    @Option(names = "--phase-limit", defaultValue = "600", description = "seconds each phase may take at most (default ${DEFAULT-VALUE})")
    private long phaseLimitSeconds;

    @Option(names = "--dir", defaultValue = "target/bench", description = "broker data, state and reports (default ${DEFAULT-VALUE})")
    private Path dir;

    @Override
    public Integer call() throws Exception {
        long heartbeatCount = heartbeats != null ? heartbeats : quick ? 200_000 : 2_000_000;
        long deviceCount = devices != null ? devices : quick ? 50_000 : 500_000;
        long fleetSize = alertsOnly ? 0 : fleet != null ? fleet : quick ? 100_000 : FLEET;
        long alertFleet = fleetOnly ? 0 : alerts != null ? alerts : quick ? 100_000 : FLEET;
        if (alertFleet < 0 || (alertsOnly && alertFleet == 0)) {
            throw new ParameterException(spec.commandLine(), "--alerts must be at least 1 with --alerts-only, and never negative");
        }
        String heap = DetectorJvm.heapSize(fleetHeap.bytes());
        if (fleetSize < 0 || (fleetOnly && fleetSize == 0)) {
            throw new ParameterException(spec.commandLine(), "--fleet must be at least 1 with --fleet-only, and never negative");
        }
        Duration limit = Duration.ofSeconds(phaseLimitSeconds);
        if (repeat < 1 || repeat > 9) {
            throw new ParameterException(spec.commandLine(), "--repeat must be 1 to 9");
        }
        deleteRecursively(dir.resolve("broker"));
        deleteRecursively(dir.resolve("state"));
        Report report = new Report();
        report.context("machine", Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, Java " + Runtime.version());
        if (!fleetOnly && !alertsOnly) {
            report.context("backlog", String.format("%,d heartbeats for %,d devices", heartbeatCount, deviceCount));
        }
        if (fleetSize > 0) {
            report.context("fleet", String.format("%,d devices, one heartbeat each (1 in %d goes OFFLINE) in %,d groups, %d detector JVMs -Xmx%s%s",
                    fleetSize, FleetPlan.OFFLINE_EVERY, FleetPlan.groupsAmong(fleetSize), FleetStage.INSTANCES, heap,
                    fleetConfig == null ? "" : ", --config " + fleetConfig));
        }
        LocalBroker broker = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                broker = LocalBroker.start(dir.resolve("broker"), 0);
                bootstrap = broker.bootstrapServers();
                report.context("broker", "local single node on the same machine, " + bootstrap);
            } else {
                report.context("broker", bootstrap);
            }
            if (!fleetOnly && !alertsOnly) {
                run(bootstrap, heartbeatCount, deviceCount, limit, report);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                new TopicManager(admin, bootstrap, limit).ensure(TopicDefinition.all());
                if (fleetSize > 0) {
                    new FleetStage(bootstrap, admin, fleetSize, heap, dir.resolve("fleet"), fleetConfig, limit, report).run();
                }
                if (alertFleet > 0) {
                    new AlertStage(bootstrap, admin, alertFleet, heap, dir.resolve("alerts"), limit, report).run();
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        report.write(dir);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println();
        System.out.println("Written to " + dir.resolve("report.md") + " and " + dir.resolve("report.json"));
        return 0;
    }

    private void run(String bootstrap, long heartbeatCount, long deviceCount, Duration limit, Report report) throws Exception {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        // The backlog is written in seconds, so with the 5 min default its whole fleet would come due
        // within seconds of each other while the bench runs, and the detection phase would time a
        // re-arm of every timer at once instead of the devices that stop. A real fleet's deadlines
        // spread over time; the bench's fleet gets a timeout longer than the bench.
        DetectorConfig config = ConfigLoader.load(Map.of(
                Setting.DEFAULT_TIMEOUT, FLEET_TIMEOUT,
                Setting.BOOTSTRAP_SERVERS, bootstrap,
                Setting.APPLICATION_ID, "bench-detector-" + runId,
                Setting.STATE_DIR, dir.resolve("state").toAbsolutePath().toString(),
                Setting.HTTP_PORT, "0"), Map.of(), Map.of(), boundedMemoryConfigFile());
        report.context("catch-up", config.streamThreads() + " stream threads in each application, the detector's default");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicManager(admin, bootstrap, limit).ensure(TopicDefinition.all());
            double produced = Preload.run(bootstrap, Names.HEARTBEATS_TOPIC, heartbeatCount, deviceCount, limit);
            report.add("a. catch-up", "preload (producer, acks=all)", produced, "heartbeats/s");

            // Alternating runs, each with a fresh application id, so that drift on the shared machine
            // (page cache, JIT, broker compaction) falls on both sides; the median of each is compared.
            long[] baselineRates = new long[repeat];
            long[] detectorRates = new long[repeat];
            long[] unroutedRates = new long[repeat];
            for (int r = 0; r < repeat; r++) {
                boolean last = r == repeat - 1;
                baselineRates[r] = (long) catchUpBaseline(admin, config, "bench-getput-" + runId + "-" + r, limit).perSecond();
                // The detector without its re-routing check and topic, as it was before it had them: the
                // preload is partitioned as Java producers do, so this is what correct input pays for the check.
                unroutedRates[r] = (long) catchUpDetector(admin, config, config.applicationId() + "-unrouted-" + r, false, deviceCount,
                        limit, null).perSecond();
                String detectorId = last ? config.applicationId() : config.applicationId() + "-" + r;
                detectorRates[r] = (long) catchUpDetector(admin, config, detectorId, true, deviceCount, limit, last ? report : null).perSecond();
            }
            long baseline = Percentiles.of(baselineRates).p50();
            long detector = Percentiles.of(detectorRates).p50();
            long unrouted = Percentiles.of(unroutedRates).p50();
            report.add("a. catch-up", "minimal get+put processor, exactly-once: median" + runs(baselineRates), baseline, "heartbeats/s");
            report.add("a. catch-up", "detector, exactly-once: median" + runs(detectorRates), detector, "heartbeats/s",
                    ">= 200,000", detector >= 200_000);
            double ratio = detector / (double) baseline;
            report.add("a. catch-up", "detector / get+put (medians)", ratio, "ratio", ">= 0.8", ratio >= 0.8);
            report.add("a. catch-up", "detector without re-routing: median" + runs(unroutedRates), unrouted, "heartbeats/s");
            double routingRatio = detector / (double) unrouted;
            report.add("a. catch-up", "detector / detector without re-routing (medians; correctly partitioned input)", routingRatio,
                    "ratio", ">= 0.95", routingRatio >= 0.95);

            Path appState = config.stateDir().resolve(config.applicationId());
            // Read after close: Streams writes RocksDB without a WAL, so only flushed tables are on disk.
            long stateBytes = Footprint.directoryBytes(appState);
            try (TimerCost timers = new TimerCost(appState)) {
                TimerCost.Result cost = timers.measure(System.currentTimeMillis(), 1_000, 5, 10_000, limit);
                report.add("e. footprint", String.format("state on disk per device (both stores, %,d devices)", cost.scannedDevices()),
                        stateBytes / (double) Math.max(1, cost.scannedDevices()), "bytes");
                cost.report(report, "the catch-up's stores");
            }

            Recovery.Result recovery = Recovery.run(config, appState, Preload.deviceId(0), limit);
            report.addScaled("f. recovery", "fresh instance, no standby: start to RUNNING and answering", recovery.seconds(), "s",
                    "<= 10 s at 1,000,000 (standby)", recovery.seconds() <= 10, deviceCount, FLEET);
            report.add("f. recovery", "restored from the changelog", recovery.restoredRecords(), "records");
        }
    }

    /** The bench measures with RocksDB memory bounded, which {@code run} only does when a config file asks for it. */
    private Path boundedMemoryConfigFile() throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("bench.properties"),
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG + "=" + BoundedMemoryRocksDBConfig.class.getName() + "\n");
    }

    private static String runs(long[] rates) {
        return rates.length == 1 ? "" : " of " + rates.length + " runs "
                + java.util.Arrays.stream(rates).mapToObj(rate -> String.format("%,d", rate)).collect(java.util.stream.Collectors.joining(" / "));
    }

    private static CatchUp.Result catchUpBaseline(Admin admin, DetectorConfig config, String applicationId, Duration limit)
            throws InterruptedException {
        Properties props = KafkaProperties.streams(config, URI.create("http://127.0.0.1:" + LocalBroker.freePort()));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        KafkaStreams[] streams = new KafkaStreams[1];
        try {
            return CatchUp.run("catch-up get+put", admin, Names.HEARTBEATS_TOPIC, GetPutTopology.build(Names.HEARTBEATS_TOPIC),
                    props, limit, started -> streams[0] = started);
        } finally {
            if (streams[0] != null) {
                streams[0].close(leaving());
            }
        }
    }

    /** The detector as {@code run} builds it: its topology, its Streams properties, its input-progress monitor. */
    /**
     * @param report where the footprint and detection latency of the loaded detector go, or
     *     {@code null} for a run that only measures throughput
     */
    private static CatchUp.Result catchUpDetector(Admin admin, DetectorConfig config, String applicationId, boolean rerouted,
            long deviceCount, Duration limit, Report report) throws InterruptedException {
        int partitions = TopicDefinition.heartbeats().partitions();
        Rerouting rerouting = rerouted ? Rerouting.of(applicationId, partitions) : Rerouting.NONE;
        new TopicManager(admin, config.bootstrapServers(), limit).ensure(TopicDefinition.forApplication(applicationId));
        EndOffsetMonitor progress = new EndOffsetMonitor(admin, applicationId, Names.HEARTBEATS_TOPIC, rerouting,
                partitions, EndOffsetMonitor.INTERVAL, config.stallGuard(), System::currentTimeMillis);
        Properties props = KafkaProperties.streams(config, URI.create("http://127.0.0.1:" + LocalBroker.freePort()));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        KafkaStreams[] streams = new KafkaStreams[1];
        progress.start();
        try {
            CatchUp.Result result = CatchUp.run("catch-up detector", admin, Names.HEARTBEATS_TOPIC,
                    DetectorTopology.build(config.detection(), progress, rerouting), props, limit, started -> streams[0] = started);
            if (report == null) {
                return result;
            }
            long rss = Footprint.residentBytes();
            long heap = Footprint.heapUsedBytes();
            // Not the detector's footprint (the fleet stage measures that in detector JVMs of their own):
            // this JVM also holds the preload producer and the finished catch-up runs.
            report.add("e. footprint", String.format("bench JVM, not the detector alone: RSS, %,d devices loaded", deviceCount),
                    rss / 1048576.0, "MiB");
            report.add("e. footprint", "bench JVM: heap in use after GC", heap / 1048576.0, "MiB");
            report.add("e. footprint", "RocksDB memory bound (rocksdb.memory)", config.rocksdbMemoryBytes() / 1048576.0, "MiB");
            Percentiles detection = DetectionLatency.run(config.bootstrapServers(), DETECTION_DEVICES, deviceCount, limit);
            long targetMs = config.checkInterval().toMillis() + 250;
            report.add("c. detection", String.format("%,d devices stop: detectedAt - changedAt p50", detection.count()),
                    detection.p50(), "ms");
            report.add("c. detection", "p99", detection.p99(), "ms", "<= check.interval + 250 ms = " + targetMs + " ms",
                    detection.p99() <= targetMs);
            report.add("c. detection", "max", detection.max(), "ms");
            return result;
        } finally {
            if (streams[0] != null) {
                streams[0].close(leaving());
            }
            progress.close();
        }
    }

    /**
     * Leaving the group on close, as {@code App} does: the recovery phase's fresh instance would
     * otherwise wait out the old member's session before it gets the partitions.
     */
    static CloseOptions leaving() {
        return CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + path, e);
        }
    }
}
