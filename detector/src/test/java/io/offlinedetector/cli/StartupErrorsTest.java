package io.offlinedetector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each way {@code run} can refuse to start, through the real command line: exit status 2 and one
 * line on stderr that names the problem. None of them needs a running Kafka.
 */
class StartupErrorsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    @DisplayName("bootstrap servers that cannot be reached stop start-up within the start-up timeout")
    void unreachableKafkaStopsStartupWithinTheStartupTimeout() throws IOException {
        int closedPort = closedLoopbackPort();
        long started = System.nanoTime();

        int exit = run("--bootstrap-servers", "127.0.0.1:" + closedPort, "--startup-timeout", "3s");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(oneLineError()).contains("cannot reach Kafka at 127.0.0.1:" + closedPort, "within 3s");
        // the wait itself, plus a bounded close of the admin client; never its one-minute default
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
    }

    @Test
    void unknownKeyInTheConfigFileStopsStartup() throws IOException {
        Path file = Files.writeString(dir.resolve("detector.properties"), "timeout.default=5m\ntimout.max=1h\n");

        int exit = run("--config", file.toString());

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(oneLineError()).contains("unknown configuration key 'timout.max'", file.toString());
    }

    @Test
    void badDurationInTheConfigFileStopsStartup() throws IOException {
        Path file = Files.writeString(dir.resolve("detector.properties"), "check.interval=1 second\n");

        int exit = run("--config", file.toString());

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(oneLineError()).contains("bad duration for check.interval", "'1 second'");
    }

    @Test
    void badStartupTimeoutStopsStartup() {
        assertThat(run("--startup-timeout", "soon")).isEqualTo(Main.CONFIG_ERROR);
        assertThat(oneLineError()).contains("startup.timeout", "'soon'");
    }

    @Test
    void smallestTimeoutAboveLargestStopsStartup() {
        int exit = run("--timeout-min", "10m", "--timeout-max", "1m");

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(oneLineError()).contains("timeout.min (10m) is greater than timeout.max (1m)");
    }

    @Test
    @DisplayName("an HTTP port in use stops start-up before Kafka is even asked")
    void httpPortInUseStopsStartup() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = run("--http-port", Integer.toString(taken.getLocalPort()),
                    "--bootstrap-servers", "127.0.0.1:" + closedLoopbackPort());

            assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
            assertThat(oneLineError()).contains("HTTP port " + taken.getLocalPort(), "in use");
        }
    }

    /** A loopback port that nothing listens on: bound once by the OS, then released. */
    private static int closedLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private int run(String... options) {
        List<String> args = new ArrayList<>(List.of("run", "--http-bind", "127.0.0.1", "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(options));
        if (!args.contains("--http-port")) {
            args.addAll(List.of("--http-port", "0"));
        }
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }

    private String oneLineError() {
        String text = err.toString();
        assertThat(text.lines()).as("stderr: %s", text).hasSize(1);
        assertThat(text).startsWith("offline-detector: ");
        return text.strip();
    }
}
