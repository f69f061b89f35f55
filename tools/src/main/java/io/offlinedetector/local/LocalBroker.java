package io.offlinedetector.local;

import io.offlinedetector.config.StartupException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka node (KRaft, broker and controller in one) running in its own JVM on the loopback
 * interface, started from Kafka's own libraries the way Kafka's distribution starts it: write
 * {@code server.properties}, format the storage, run {@code kafka.Kafka}. The broker's output goes
 * to {@link #logFile()}.
 *
 * <p>The broker never outlives this process: {@link #close()} stops it (SIGTERM, then forcibly),
 * and {@link LocalBrokerMain} stops it by itself when this process dies, even by {@code kill -9}.
 *
 * <p>One node: {@link #start(Path, int)}. A cluster: pick the ports with {@link #freePort()}, give
 * every node the same {@link Settings#quorumVoters()} and {@link Settings#clusterId()},
 * {@link #launch} them all, then {@link #awaitReady} each (a quorum needs a majority up).
 */
public final class LocalBroker implements AutoCloseable {

    /** Every listener binds this address only. */
    public static final String HOST = "127.0.0.1";
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PROBE_PAUSE = Duration.ofMillis(250);

    /**
     * One node.
     *
     * @param dataDir        the node's directory: {@code server.properties}, {@code broker.log}, the log dirs
     * @param kafkaPort      clients' port, or 0 for a free one
     * @param controllerPort the KRaft controller's port, or 0 for a free one (single node only)
     * @param quorumVoters   {@code controller.quorum.voters}, or {@code null} for this node alone
     * @param clusterId      the cluster id to format with, or {@code null} for the one of an
     *                       earlier start in this directory, else a new one
     * @param overrides      further {@code server.properties}, winning over the defaults
     * @param jvmOptions     options of the broker JVM, such as the heap size
     */
    public record Settings(
            Path dataDir,
            int nodeId,
            int kafkaPort,
            int controllerPort,
            String quorumVoters,
            String clusterId,
            Map<String, String> overrides,
            List<String> jvmOptions) {

        public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true");

        public Settings {
            overrides = Map.copyOf(overrides);
            jvmOptions = List.copyOf(jvmOptions);
        }

        public static Settings singleNode(Path dataDir, int kafkaPort) {
            return new Settings(dataDir, 1, kafkaPort, 0, null, null, Map.of(), DEFAULT_JVM_OPTIONS);
        }
    }

    private final Process process;
    private final int nodeId;
    private final int kafkaPort;
    private final int controllerPort;
    private final Path logFile;

    private LocalBroker(Process process, int nodeId, int kafkaPort, int controllerPort, Path logFile) {
        this.process = process;
        this.nodeId = nodeId;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
    }

    /**
     * Starts a single node and waits until it answers, at most {@link #START_TIMEOUT}.
     *
     * @throws StartupException with one line when the port is taken, the libraries are missing
     *     ("run mvn package first") or the broker does not come up (pointing at its log)
     */
    public static LocalBroker start(Path dataDir, int kafkaPort) {
        LocalBroker broker = launch(Settings.singleNode(dataDir, kafkaPort));
        try {
            broker.awaitReady(START_TIMEOUT);
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** Starts the broker JVM and returns at once; see {@link #awaitReady}. */
    public static LocalBroker launch(Settings settings) {
        int kafkaPort = settings.kafkaPort() == 0 ? freePort() : requireFree(settings.kafkaPort(), "Kafka");
        int controllerPort = settings.controllerPort() == 0 ? freePort() : requireFree(settings.controllerPort(), "KRaft controller");
        Path dataDir = settings.dataDir().toAbsolutePath();
        Path properties = dataDir.resolve("server.properties");
        Path logFile = dataDir.resolve("broker.log");
        try {
            Files.createDirectories(dataDir);
            write(properties, BrokerProperties.of(settings, kafkaPort, controllerPort));
        } catch (IOException e) {
            throw new StartupException("cannot write the local broker's configuration to " + properties + ": " + e.getMessage(), e);
        }
        String classpath = BrokerClasspath.privateCopy(BrokerClasspath.locate(), dataDir.resolve("lib"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.jvmOptions());
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        command.add("-cp");
        command.add(classpath);
        command.add(LocalBrokerMain.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(properties.toString());
        command.add(clusterId(settings, dataDir));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new LocalBroker(process, settings.nodeId(), kafkaPort, controllerPort, logFile);
        } catch (IOException e) {
            throw new StartupException("cannot start the local broker's JVM: " + e.getMessage(), e);
        }
    }

    /**
     * The cluster id to format with: the settings', else the one the directory was formatted with
     * by an earlier start (formatting again with another id fails), else a new one.
     */
    private static String clusterId(Settings settings, Path dataDir) {
        if (settings.clusterId() != null) {
            return settings.clusterId();
        }
        Path meta = BrokerProperties.logDir(dataDir).resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new StartupException("cannot read " + meta + ": " + e.getMessage(), e);
            }
            String existing = properties.getProperty("cluster.id");
            if (existing != null && !existing.isBlank()) {
                return existing.trim();
            }
        }
        return Uuid.randomUuid().toString();
    }

    /**
     * Waits until the broker answers a describe-cluster request that lists this node.
     *
     * @throws StartupException pointing at the broker log when it exits or does not answer in time
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int probeMs = (int) PROBE_TIMEOUT.toMillis();
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, probeMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, probeMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new StartupException("the local Kafka broker stopped during start-up (exit code " + process.exitValue()
                            + "); see " + logFile);
                }
                if (answers(admin, probeMs)) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new StartupException("the local Kafka broker did not answer on " + bootstrapServers() + " within "
                            + timeout.toSeconds() + " s; see " + logFile);
                }
                awaitExit(PROBE_PAUSE);
            }
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private boolean answers(Admin admin, int probeMs) {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(probeMs))
                    .nodes().get(probeMs + 1_000L, TimeUnit.MILLISECONDS);
            return nodes.stream().anyMatch(node -> node.id() == nodeId);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the local Kafka broker");
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public int nodeId() {
        return nodeId;
    }

    /** The broker JVM's output: Kafka's log, the storage format, the start-up failure if any. */
    public Path logFile() {
        return logFile;
    }

    /** The broker JVM. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the broker the way an operator would (SIGTERM: controlled shutdown), and forcibly if it
     * has not exited within 30 s. Returns once the JVM is gone.
     */
    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            process.destroyForcibly();
            awaitExit(KILL_TIMEOUT);
        }
    }

    /** Waits, at most {@code timeout}, for the broker JVM to exit; whether it did. */
    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** A port that is free on {@link #HOST} right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** Whether nothing listens on {@code port} of {@link #HOST}. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int requireFree(int port, String what) {
        if (!isFree(port)) {
            throw new StartupException(what + " port " + port + " on " + HOST + " is already in use (is another Kafka running?)");
        }
        return port;
    }

    private static void write(Path file, Map<String, String> properties) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("# Written by offline-detector's LocalBroker on each start; edits are overwritten.\n");
            for (Map.Entry<String, String> entry : properties.entrySet()) {
                writer.write(entry.getKey() + "=" + escape(entry.getValue()) + "\n");
            }
        }
    }

    /**
     * Properties-file escaping of a value: backslashes (Windows paths), a leading blank, and
     * non-ASCII characters as {@code \\uXXXX}, since Kafka reads the file as ISO-8859-1.
     */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (c == ' ' && i == 0) {
                escaped.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
