package io.offlinedetector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A detector instance in its own JVM, started from the product jar the way users start it
 * ({@code java -jar detector/target/offline-detector.jar run ...}), so that tests can crash it for real
 * ({@link #kill()}: SIGKILL, no shutdown hook, no leaving the group) or stop it as an operator does
 * ({@link #terminate()}: SIGTERM).
 */
public final class DetectorProcess implements AutoCloseable {

    /** Relative to the detector module, where its integration tests run, after {@code package} built it. */
    public static final Path JAR = Path.of("target", "offline-detector.jar");

    private final Process process;
    private final String url;
    private final Path log;

    private DetectorProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * @param httpPort a free port: the test must know the URL before the instance reports it
     * @param options  further {@code run} options, such as {@code --state-dir DIR}
     */
    public static DetectorProcess start(int httpPort, Path log, List<String> options) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing; integration tests run after mvn package");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString(), "run",
                "--http-bind", "127.0.0.1",
                "--http-port", Integer.toString(httpPort)));
        command.addAll(options);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new DetectorProcess(process, "http://127.0.0.1:" + httpPort, log);
    }

    /** A port free on 127.0.0.1 now, for an instance's HTTP API. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the instance vanishes mid-work, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops a container. */
    public void terminate() {
        process.destroy();
    }

    /** @return the exit status, or {@code null} if the JVM is still running after {@code timeout} */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
