package io.offlinedetector.local;

import io.offlinedetector.config.StartupException;
import io.offlinedetector.cli.OptionChecks;
import io.offlinedetector.config.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cluster}: a real multi-node Kafka cluster (KRaft, every node broker and controller) on the
 * loopback interface, each node in its own JVM, until SIGTERM. {@code scripts/cluster} drives it
 * and starts the detector instances against it. The nodes stop when this process stops, even by
 * {@code kill -9} (see {@link LocalBrokerMain}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A local Kafka cluster for trying out scale-out: N KRaft nodes, each in its own JVM on 127.0.0.1, "
                + "with replication factor 3 for every topic. Prints '" + ClusterCommand.READY + "<bootstrap servers>' once "
                + "every node answers, and stops them all on SIGTERM or Ctrl-C."})
public final class ClusterCommand implements Callable<Integer> {

    static final String READY = "CLUSTER READY ";
    private static final String CLUSTER_ID_FILE = "cluster.id";

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Kafka nodes, 1 to 5 (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "client port of the first node; the others take the next ones (default ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "cluster-run/kafka",
            description = "one sub-directory per node: data, server.properties, broker.log (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "8h",
            description = "stop by itself after this long (default ${DEFAULT-VALUE})")
    Duration duration;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        int count = OptionChecks.between("--nodes", nodes, 1, 5);
        int firstPort = OptionChecks.between("--kafka-port", kafkaPort, 1, 65_535 - count);
        Duration runFor = OptionChecks.positive("--duration", duration);
        BrokerClasspath.locate();   // "run mvn package first" before anything starts
        for (int i = 0; i < count; i++) {
            if (!LocalBroker.isFree(firstPort + i)) {
                throw new StartupException("Kafka port " + (firstPort + i) + " on " + LocalBroker.HOST
                        + " is already in use (an earlier cluster still running? scripts/cluster stop); choose another with --kafka-port");
            }
        }
        List<LocalBroker> brokers = new ArrayList<>();
        Thread hook = new Thread(() -> {
            stop.countDown();
            closeAll(brokers);
        }, "cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        List<LocalBroker.Settings> settings = settings(count, firstPort, clusterId());
        synchronized (brokers) {
            settings.forEach(node -> brokers.add(LocalBroker.launch(node)));
        }
        // A KRaft quorum only forms once a majority of its voters runs, so all start before any is awaited.
        for (LocalBroker broker : List.copyOf(brokers)) {
            broker.awaitReady(LocalBroker.START_TIMEOUT);
        }
        String bootstrap = brokers.stream().map(LocalBroker::bootstrapServers).collect(Collectors.joining(","));
        System.out.println(READY + bootstrap);
        System.out.flush();
        if (!stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS)) {
            System.out.println("Ran for " + Durations.format(runFor) + " (--duration); stopping.");
        }
        return 0;
    }

    /** Every node is broker and controller, all are voters: the smallest cluster that survives losing a node. */
    private List<LocalBroker.Settings> settings(int count, int firstPort, String clusterId) {
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            controllerPorts.add(LocalBroker.freePort());
        }
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            voters.add((i + 1) + "@" + LocalBroker.HOST + ":" + controllerPorts.get(i));
        }
        String replicas = Integer.toString(Math.min(3, count));
        String minInSync = Integer.toString(Math.max(1, Math.min(3, count) - 1));
        Map<String, String> overrides = Map.of(
                "default.replication.factor", replicas,
                "min.insync.replicas", minInSync,
                "offsets.topic.replication.factor", replicas,
                "transaction.state.log.replication.factor", replicas,
                "transaction.state.log.min.isr", minInSync,
                "share.coordinator.state.topic.replication.factor", replicas,
                "share.coordinator.state.topic.min.isr", minInSync,
                // A crashed detector's open transaction blocks its partitions until the broker aborts
                // it; by default the broker looks for timed-out transactions every 10 s only.
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        List<LocalBroker.Settings> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new LocalBroker.Settings(dataDir.resolve("node-" + (i + 1)), i + 1, firstPort + i, controllerPorts.get(i),
                    String.join(",", voters), clusterId, overrides, LocalBroker.Settings.DEFAULT_JVM_OPTIONS));
        }
        return nodes;
    }

    /** The id the data directory was formatted with, so that a restart on kept data finds its cluster; else a new one. */
    private String clusterId() {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(dataDir);
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new StartupException("cannot keep the cluster id in " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(List<LocalBroker> brokers) {
        synchronized (brokers) {
            for (LocalBroker broker : brokers) {
                System.out.println("stopping Kafka node " + broker.nodeId());
                broker.close();
            }
            brokers.clear();
        }
    }
}
