package io.offlinedetector.bench;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.ByteSizes;
import io.offlinedetector.config.Setting;
import io.offlinedetector.local.LocalBroker;
import io.offlinedetector.query.PeerProtocol;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Phases d, e and f at fleet size: two detector instances on the real jar, each in its own JVM,
 * under a fresh application id, with the default standby. The input is emptied first, so that the
 * fleet is exactly the devices written here: a tenth of it, then the rest, so that {@code /stats}
 * is timed at both sizes in the same run. Then the queries, the instances' memory, a crash, and a
 * fresh instance restoring the whole fleet.
 */
final class FleetStage {

    static final int INSTANCES = 2;
    /** GET latency is judged under 50 concurrent clients (docs/performance.md, 'Targets'). */
    static final int CLIENTS = 50;
    private static final int REQUESTS_PER_CLIENT = 300;
    private static final int WARM_UP_PER_CLIENT = 20;
    private static final int SEQUENTIAL_REQUESTS = 200;
    /** Devices the GET load and the failover sample draw from, spread over the whole fleet. */
    private static final int SAMPLE = 5_000;
    private static final int FAILOVER_PER_PARTITION = 10;
    /** The fresh restore is checked on every 25th device of the sample: 200 devices, all partitions. */
    private static final int RESTORE_SAMPLE_EVERY = 25;
    private static final int OFFLINE_PAGE = 1_000;
    /** The answers that fan out to every instance: the counts, and a page of the counts by group in each order. */
    private static final List<FanOut> FAN_OUT = List.of(
            new FanOut("/stats", null),
            new FanOut("/stats?by=group&limit=100", "/stats?by=group&limit=100&" + PeerProtocol.LOCAL_ONLY_PARAM + "=true"),
            new FanOut("/stats?by=group&sort=offline&limit=100", "/stats?by=group&status=OFFLINE&" + PeerProtocol.LOCAL_ONLY_PARAM + "=true"));

    /**
     * @param peerQuestion what the asked instance asks each other instance first (see docs/http-api.md,
     *     'Forwarding between instances'), or {@code null} for none timed
     */
    private record FanOut(String path, String peerQuestion) {}
    /** Each client's pause in the paced GET load: 50 clients, 1,000 requests/s in all. */
    private static final Duration PACED_INTERVAL = Duration.ofMillis(50);
    /** Forwarding both ways can starve both instances' request threads; it gets less time. */
    private static final Duration BOTH_WAYS_LIMIT = Duration.ofSeconds(30);
    /** How long both instances are watched without requests, for the background allocation. */
    private static final Duration AT_REST = Duration.ofSeconds(10);
    private static final int TIMER_CHECKS = 1_000;
    private static final int TIMER_SCANS = 5;
    private static final int TIMER_DUE = 10_000;
    /** {@code /metrics} is large (all of Kafka's client metrics) and built on request. */
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long the group waits for a member that stopped without leaving (SIGKILL) before it hands
     * its partitions over: the floor of a failover. {@code KafkaProperties} sets it unless a config
     * file does.
     */
    static final long DEFAULT_SESSION_TIMEOUT_MS = KafkaProperties.SESSION_TIMEOUT_MS;

    private final String bootstrap;
    private final Admin admin;
    private final long fleet;
    private final String heap;
    private final Path dir;
    private final Path detectorConfig;
    private final Duration limit;
    private final Report report;
    private final int partitions = TopicDefinition.heartbeats().partitions();
    /** Bytes per second both instances allocate without requests, or -1 while not measured. */
    private double atRest = -1;

    /**
     * @param dir            where the instances' state directories and logs go; emptied first
     * @param detectorConfig the instances' {@code --config} file, or {@code null} for none
     */
    FleetStage(String bootstrap, Admin admin, long fleet, String heap, Path dir, Path detectorConfig, Duration limit, Report report) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.fleet = fleet;
        this.heap = heap;
        this.dir = dir;
        this.detectorConfig = detectorConfig;
        this.limit = limit;
        this.report = report;
    }

    void run() throws IOException, InterruptedException {
        BenchCommand.deleteRecursively(dir);
        InputTopic.empty(admin);
        String applicationId = "bench-fleet-" + Long.toString(System.currentTimeMillis(), 36);
        List<DetectorJvm> jvms = new CopyOnWriteArrayList<>();
        Thread killOnExit = new Thread(() -> jvms.forEach(DetectorJvm::destroyNow), "bench-fleet-cleanup");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            for (int i = 0; i < INSTANCES; i++) {
                jvms.add(startInstance(Character.toString('a' + i), applicationId));
            }
            System.out.printf("[fleet] %d detector JVMs (-Xmx%s) from %s, logs in %s%n", INSTANCES, heap, DetectorJvm.jar(), dir);
            measure(new Fleet(jvms), applicationId);
            jvms.forEach(DetectorJvm::close);
            timerCost(dir.resolve("a-state").resolve(applicationId));
            long start = System.nanoTime();
            DetectorJvm fresh = startInstance("c", applicationId);
            jvms.add(fresh);
            restore(fresh, start);
        } finally {
            jvms.forEach(DetectorJvm::close);
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs anyway
            }
        }
    }

    /** An instance of the fleet's application in a JVM of its own, with its own state directory and log. */
    private DetectorJvm startInstance(String name, String applicationId) throws IOException {
        List<String> options = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrap,
                "--application-id", applicationId,
                "--state-dir", dir.resolve(name + "-state").toAbsolutePath().toString()));
        if (detectorConfig != null) {
            options.addAll(List.of("--config", detectorConfig.toAbsolutePath().toString()));
        }
        return DetectorJvm.start(DetectorJvm.jar(), heap, LocalBroker.freePort(), dir.resolve(name + ".log"), options);
    }

    /**
     * f. a fresh restore at the fleet's size: instance c, with an empty state directory, alone in
     * the group once a has stopped and b is dead, rebuilds every partition from the changelogs.
     */
    private void restore(DetectorJvm fresh, long startNanos) throws InterruptedException {
        List<String> spread = sample();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < spread.size(); i += RESTORE_SAMPLE_EVERY) {
            sample.add(spread.get(i));
        }
        FleetRestore.Result result = FleetRestore.run(fresh, startNanos, sample, fleet, limit);
        String f = "f. recovery";
        report.add(f, String.format("fresh instance, empty state, no standby, %,d devices: JVM start to /stats whole", fleet),
                result.readySeconds(), "s");
        report.add(f, String.format("fresh instance: JVM start to all %d sampled devices answering", sample.size()),
                result.answeredSeconds(), "s");
    }

    /**
     * b. at the fleet's size: after the failover instance a processed every partition, and it has
     * stopped (SIGTERM), so its stores are flushed and can be opened.
     */
    private void timerCost(Path survivorState) {
        try (TimerCost timers = new TimerCost(survivorState)) {
            timers.measure(System.currentTimeMillis(), TIMER_CHECKS, TIMER_SCANS, TIMER_DUE, limit)
                    .report(report, "instance a's stores after the fleet stage");
        }
    }

    private void measure(Fleet instances, String applicationId) throws IOException, InterruptedException {
        long small = Math.max(1, fleet / 10);
        FleetLoad.run(bootstrap, Names.HEARTBEATS_TOPIC, 0, small, limit);
        instances.awaitCaughtUp(String.format("fleet catch-up %,d", small), small, FleetPlan.offlineAmong(small), partitions,
                () -> committed(applicationId), limit);
        String a = instances.jvms().get(0).url();
        Map<String, SequentialTiming.Result> atSmall = fanOut(a, small);

        FleetLoad.run(bootstrap, Names.HEARTBEATS_TOPIC, small, fleet, limit);
        instances.awaitCaughtUp(String.format("fleet catch-up %,d", fleet), fleet, FleetPlan.offlineAmong(fleet), partitions,
                () -> committed(applicationId), limit);
        Map<String, SequentialTiming.Result> atFull = fanOut(a, fleet);
        fanOutRows(small, atSmall, atFull, instances.jvms().get(1).url());
        queries(a);

        List<Fleet.Instance> placement;
        try (HttpConnection connection = new HttpConnection(a, Fleet.REQUEST_TIMEOUT)) {
            placement = Fleet.instances(connection);
        }
        DeviceOwners owners = new DeviceOwners(Fleet.activePartitions(placement), partitions);
        List<String> sample = sample();
        gets(owners, sample, a, instances.jvms());

        // Requests the load left queued (forwarding both ways can leave many) are answered first:
        // the failover is timed on instances that answer again.
        instances.awaitCaughtUp("fleet settled", fleet, FleetPlan.offlineAmong(fleet), partitions, () -> committed(applicationId), limit);
        footprint(instances.jvms());
        failover(instances.jvms(), owners, sample);
    }

    /** Each of {@link #FAN_OUT}, asked of {@code url} by one client, the fleet at {@code devices}. */
    private Map<String, SequentialTiming.Result> fanOut(String url, long devices) {
        Map<String, SequentialTiming.Result> results = new LinkedHashMap<>();
        for (FanOut fanOut : FAN_OUT) {
            String path = fanOut.path();
            results.put(path, SequentialTiming.run(String.format("%s at %,d", path, devices), url, path, SEQUENTIAL_REQUESTS, limit));
        }
        return results;
    }

    /**
     * The answers that fan out, at a tenth of the fleet and at the whole fleet: the ratio of the p50s
     * shows whether they depend on the fleet's size. For the counts by group, also what instance b
     * answers the asker's first question ({@code local=true}): what crosses between instances.
     */
    private void fanOutRows(long small, Map<String, SequentialTiming.Result> atSmall, Map<String, SequentialTiming.Result> atFull,
            String peer) {
        String d = "d. queries";
        for (FanOut fanOut : FAN_OUT) {
            String path = fanOut.path();
            SequentialTiming.Result before = atSmall.get(path);
            SequentialTiming.Result after = atFull.get(path);
            boolean byGroup = fanOut.peerQuestion() != null;
            report.add(d, String.format("%s at %,d devices%s (one client, fans out to %d instances): p50", path, small,
                    byGroup ? String.format(", %,d groups", FleetPlan.groupsAmong(small)) : "", INSTANCES), before.latencies().p50() / 1e6, "ms");
            report.add(d, String.format("%s p99 (%d requests)", path, before.latencies().count()), before.latencies().p99() / 1e6, "ms");
            report.add(d, String.format("%s at %,d devices%s: p50", path, fleet,
                    byGroup ? String.format(", %,d groups", FleetPlan.groupsAmong(fleet)) : ""), after.latencies().p50() / 1e6, "ms");
            report.add(d, String.format("%s p99 (%d requests)", path, after.latencies().count()), after.latencies().p99() / 1e6, "ms");
            double ratio = after.latencies().p50() / (double) Math.max(1, before.latencies().p50());
            report.add(d, String.format("%s p50 at %,d / at %,d devices", path, fleet, small), ratio, "ratio",
                    "independent of fleet size: <= 2 at 10x the devices", ratio <= 2);
            if (byGroup) {
                report.add(d, String.format("%s: answer at %,d devices", path, fleet), after.bytes(), "bytes");
                SequentialTiming.Result own = SequentialTiming.run("instance b: " + fanOut.peerQuestion(), peer, fanOut.peerQuestion(),
                        SEQUENTIAL_REQUESTS, limit);
                report.add(d, String.format("%s: instance b's answer to the asker's first question (%s): p50", path, fanOut.peerQuestion()),
                        own.latencies().p50() / 1e6, "ms");
                report.add(d, String.format("%s: instance b's answer to the asker's first question", path), own.bytes(), "bytes");
            }
        }
    }

    private void queries(String url) {
        String d = "d. queries";
        Percentiles firstPage = SequentialTiming.run("OFFLINE list, first page", url, "/devices?status=OFFLINE&limit=100",
                SEQUENTIAL_REQUESTS, limit).latencies();
        report.add(d, String.format("OFFLINE list, first page of 100, %,d devices: p50", fleet), firstPage.p50() / 1e6, "ms");
        report.add(d, "OFFLINE list, first page: p99", firstPage.p99() / 1e6, "ms");
        OfflinePaging.Result all = OfflinePaging.run(url, OFFLINE_PAGE, limit);
        long expected = FleetPlan.offlineAmong(fleet);
        report.add(d, String.format("OFFLINE list, all %,d in %d pages of %,d%s", all.devices(), all.pages(), OFFLINE_PAGE,
                all.devices() == expected && all.partialPages() == 0 ? "" : String.format(" (expected %,d; %d partial pages)",
                        expected, all.partialPages())), all.seconds(), "s");
    }

    /**
     * The GET load: saturated (no pause) and paced ({@link #PACED_INTERVAL}), asked of the owner
     * (local) and of instance a for devices that b owns (forwarded); then forwarded both ways,
     * clients on both instances at once, as behind a load balancer. Before each paced load, the
     * same clients ask the same instances for {@code /health} at the same pace: the floor that any
     * answer pays on these instances under that load, against which the lookups are judged.
     */
    private void gets(DeviceOwners owners, List<String> sample, String a, List<DetectorJvm> jvms) throws InterruptedException {
        List<QueryLoad.Target> local = owners.local(sample);
        List<QueryLoad.Target> forwarded = owners.forwarded(sample, a);
        String paced = String.format("paced, %,d/s", CLIENTS * 1000 / PACED_INTERVAL.toMillis());
        atRest = allocationAtRest(jvms);
        get(QueryLoad.Route.DEVICE, "local", "saturated", local, Duration.ZERO, limit, 5, jvms);
        double localFloor = get(QueryLoad.Route.HEALTH, "local", paced, local, PACED_INTERVAL, limit, 0, jvms);
        double localP99 = get(QueryLoad.Route.DEVICE, "local", paced, local, PACED_INTERVAL, limit, 5, jvms);
        get(QueryLoad.Route.DEVICE, "forwarded a->b", "saturated", forwarded, Duration.ZERO, limit, 15, jvms);
        double forwardedFloor = get(QueryLoad.Route.HEALTH, "forwarded a->b", paced, forwarded, PACED_INTERVAL, limit, 0, jvms);
        double forwardedP99 = get(QueryLoad.Route.DEVICE, "forwarded a->b", paced, forwarded, PACED_INTERVAL, limit, 15, jvms);
        Duration bothWays = limit.compareTo(BOTH_WAYS_LIMIT) < 0 ? limit : BOTH_WAYS_LIMIT;
        get(QueryLoad.Route.DEVICE, "forwarded both ways", "saturated, at most " + bothWays.toSeconds() + " s", owners.forwarded(sample),
                Duration.ZERO, bothWays, 15, jvms);
        floorRatio("local", paced, localP99, localFloor);
        floorRatio("forwarded a->b", paced, forwardedP99, forwardedFloor);
    }

    private void floorRatio(String kind, String load, double p99, double floorP99) {
        if (Double.isNaN(p99) || Double.isNaN(floorP99)) {
            return;
        }
        double ratio = p99 / floorP99;
        report.add("d. queries", String.format("GET /devices/{id} %s / GET /health to the same instances, %s: p99 / p99", kind, load),
                ratio, "ratio", "<= 3", ratio <= 3);
    }

    /**
     * What both instances allocate with no request at all (stream threads, punctuation, metrics): the
     * background in the allocation rows below, which the rows "less at rest" take out.
     *
     * @return bytes per second, or -1 when the instances do not say
     */
    private double allocationAtRest(List<DetectorJvm> jvms) throws InterruptedException {
        long before = allocatedBytes(jvms);
        long started = System.nanoTime();
        Thread.sleep(AT_REST.toMillis()); // measuring the instances at rest
        long allocated = allocatedBytes(jvms) - before;
        if (before < 0 || allocated < 0) {
            return -1;
        }
        double perSecond = allocated / ((System.nanoTime() - started) / 1e9);
        report.add("d. queries", "both instances at rest, no requests: heap allocated per second", perSecond / 1024.0, "KiB/s");
        return perSecond;
    }

    /**
     * @param targetMs the p99 the load is judged against, or 0 for none
     * @param queried  the instances the load asks, whose allocation it measures
     * @return the p99 in ms, or NaN when no request was answered in time
     */
    private double get(QueryLoad.Route route, String kind, String load, List<QueryLoad.Target> targets, Duration interval,
            Duration timeLimit, double targetMs, List<DetectorJvm> queried) throws InterruptedException {
        long allocatedBefore = allocatedBytes(queried);
        long started = System.nanoTime();
        QueryLoad.Result result = QueryLoad.run(route + " " + kind + ", " + load, targets, route, CLIENTS, REQUESTS_PER_CLIENT,
                WARM_UP_PER_CLIENT, interval, timeLimit);
        String d = "d. queries";
        String rows = String.format("%s %s, %d clients %s, %,d devices", route, kind, CLIENTS, load, fleet);
        String target = targetMs > 0 ? String.format("<= %.0f ms", targetMs) : "";
        if (result.latencies() == null) {
            report.add(d, rows + ": no request answered within " + timeLimit.toSeconds() + " s", timeLimit.toMillis(), "ms", target, false);
            return Double.NaN;
        }
        double p99 = result.latencies().p99() / 1e6;
        report.add(d, rows + ": p50", result.latencies().p50() / 1e6, "ms");
        String p99Row = String.format("%s %s, %s: p99 (%,d requests, %,d errors, %,d misrouted)", route, kind, load,
                result.latencies().count(), result.errors(), result.misrouted());
        if (targetMs > 0) {
            report.addScaled(d, p99Row, p99, "ms", target, p99 <= targetMs && result.errors() == 0, fleet, BenchCommand.FLEET);
        } else {
            report.add(d, p99Row, p99, "ms");
        }
        if (interval.isZero()) {
            report.add(d, String.format("%s %s, %s: throughput", route, kind, load), result.perSecond(), "requests/s");
        }
        long allocated = allocatedBytes(queried) - allocatedBefore;
        double seconds = (System.nanoTime() - started) / 1e9;
        if (allocatedBefore >= 0 && allocated >= 0) {
            long requests = result.latencies().count() + (long) CLIENTS * WARM_UP_PER_CLIENT;
            report.add(d, String.format("%s %s, %s: heap allocated per request, both instances, background included", route, kind, load),
                    allocated / 1024.0 / requests, "KiB");
            if (atRest >= 0) {
                double net = (allocated - atRest * seconds) / 1024.0 / requests;
                String rowName = String.format("%s %s, %s: heap allocated per request, both instances, less their allocation at rest",
                        route, kind, load);
                if (route == QueryLoad.Route.DEVICE && !kind.equals("forwarded both ways")) {
                    double targetKiB = kind.equals("local") ? 16 : 48;
                    report.add(d, rowName, net, "KiB", String.format("<= %.0f KiB", targetKiB), net <= targetKiB);
                } else {
                    report.add(d, rowName, net, "KiB");
                }
            }
        }
        return p99;
    }

    /**
     * Heap bytes the instances have allocated so far, summed; -1 when one does not say. Each is
     * collected first (a full GC), as the JVM counts allocation only at a collection.
     */
    private static long allocatedBytes(List<DetectorJvm> jvms) {
        long sum = 0;
        for (DetectorJvm jvm : jvms) {
            try (HttpConnection connection = new HttpConnection(jvm.url(), METRICS_TIMEOUT)) {
                jvm.collectGarbage();
                HttpConnection.Answer metrics = connection.get("/metrics");
                long allocated = metrics.ok() ? ScrapedMetrics.allocatedBytes(metrics.body()) : -1;
                if (allocated < 0) {
                    return -1;
                }
                sum += allocated;
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return sum;
    }

    private void footprint(List<DetectorJvm> jvms) throws IOException, InterruptedException {
        String e = "e. footprint";
        String bound = ByteSizes.format(ByteSizes.parse(Setting.ROCKSDB_MEMORY.defaultValue()));
        for (int i = 0; i < jvms.size(); i++) {
            DetectorJvm jvm = jvms.get(i);
            String name = "detector JVM " + (char) ('a' + i);
            jvm.collectGarbage();
            long heapUsed;
            try (HttpConnection connection = new HttpConnection(jvm.url(), METRICS_TIMEOUT)) {
                HttpConnection.Answer metrics = connection.get("/metrics");
                heapUsed = metrics.ok() ? ScrapedMetrics.heapUsedBytes(metrics.body()) : -1;
            }
            long rss = jvm.residentBytes();
            report.addScaled(e, String.format("%s (-Xmx%s, rocksdb.memory %s), %,d devices active + standby: RSS", name, heap, bound, fleet),
                    rss / 1048576.0, "MiB", "<= 1 GiB at 1,000,000", rss > 0 && rss <= (1L << 30), fleet, BenchCommand.FLEET);
            report.add(e, name + ": peak RSS (VmHWM)", jvm.peakResidentBytes() / 1048576.0, "MiB");
            if (heapUsed >= 0) {
                report.add(e, name + ": heap in use after GC", heapUsed / 1048576.0, "MiB");
            } else {
                System.out.printf("[fleet] %s: GET /metrics gave no heap figure; no heap row%n", name);
            }
        }
    }

    private void failover(List<DetectorJvm> jvms, DeviceOwners owners, List<String> sample) throws IOException, InterruptedException {
        DetectorJvm survivor = jvms.get(0);
        DetectorJvm killed = jvms.get(1);
        List<String> owned = owners.sampleOwnedBy(killed.url(), sample, FAILOVER_PER_PARTITION);
        long partitionsOwned = owned.stream().map(id -> DeviceOwners.partitionOf(id, partitions)).distinct().count();
        Failover.Result result = Failover.run(killed, survivor.url(), owned, fleet, limit);
        String f = "f. failover";
        report.addScaled(f, String.format("standby, SIGKILL 1 of 2, %,d devices: all %d sampled devices (%d partitions) answer from the survivor",
                fleet, result.sampled(), partitionsOwned), result.allSeconds(), "s", "<= 10 s", result.allSeconds() <= 10,
                fleet, BenchCommand.FLEET);
        report.add(f, "first sampled device answers again", result.firstSeconds(), "s");
        report.add(f, "/stats counts the whole fleet again, not partial", result.completeSeconds(), "s");
        String configured = detectorConfig == null ? null : sessionTimeout(detectorConfig);
        report.add(f, configured != null ? "session.timeout.ms, from " + detectorConfig.getFileName()
                : "session.timeout.ms: the detector's default",
                configured != null ? Double.parseDouble(configured) : DEFAULT_SESSION_TIMEOUT_MS, "ms");
    }

    /** The session timeout a detector config file sets for the stream threads' consumers, or {@code null}. */
    static String sessionTimeout(Path configFile) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(configFile)) {
            file.load(reader);
        }
        String key = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
        for (String name : List.of("main.consumer." + key, "consumer." + key, key)) {
            if (file.getProperty(name) != null) {
                return file.getProperty(name).trim();
            }
        }
        return null;
    }

    /** Device ids spread evenly over the fleet. */
    private List<String> sample() {
        int size = (int) Math.min(SAMPLE, fleet);
        List<String> ids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ids.add(FleetPlan.deviceId(i * fleet / size + (fleet > size ? 1 : 0)));
        }
        return ids;
    }

    private long[] committed(String applicationId) {
        Map<TopicPartition, Long> ends = CatchUp.endOffsets(admin, Names.HEARTBEATS_TOPIC);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        return new long[] {CatchUp.committed(admin, applicationId, ends), total};
    }
}
