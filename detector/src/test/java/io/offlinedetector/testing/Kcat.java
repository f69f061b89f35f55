package io.offlinedetector.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Debian's {@code kcat}: a real librdkafka client, as Python, Go, .NET, Node and C producers are.
 * librdkafka's default partitioner ({@code consistent_random}) puts a keyed record in the partition
 * of the CRC32 of its key, where Java's puts it in the murmur2 one.
 */
public final class Kcat {

    public static final Path KCAT = Path.of("/usr/bin/kcat");

    private Kcat() {}

    /** Without kcat a developer's run skips the test; with {@code CI} set it fails instead. */
    public static void requireInstalled() {
        if (Files.isExecutable(KCAT)) {
            return;
        }
        String missing = "this test needs " + KCAT + ", a librdkafka client (apt-get install kcat)";
        if (System.getenv("CI") != null) {
            fail(missing + "; CI is set, so this fails instead of skipping");
        }
        assumeTrue(false, missing);
    }

    /** The partition librdkafka's default partitioner picks for a key. */
    public static int partitionOf(String key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /**
     * Produces one record per {@code key:value} line with kcat's own partitioner and the current
     * time as the timestamp, and returns once kcat has delivered them all (it waits for the broker's
     * acknowledgements before it exits).
     *
     * @throws IllegalStateException when kcat fails or does not finish within {@code timeout}
     */
    public static void produce(String bootstrapServers, String topic, List<String> keyValueLines, Duration timeout)
            throws IOException, InterruptedException {
        produce(bootstrapServers, topic, keyValueLines, timeout, List.of());
    }

    /** @param settings further librdkafka settings, such as {@code partitioner=murmur2_random} */
    public static void produce(String bootstrapServers, String topic, List<String> keyValueLines, Duration timeout, List<String> settings)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(KCAT.toString(), "-P", "-b", bootstrapServers, "-t", topic, "-K", ":",
                "-X", "broker.address.family=v4"));
        settings.forEach(setting -> command.addAll(List.of("-X", setting)));
        Process kcat = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = kcat.getOutputStream()) {
            in.write((String.join("\n", keyValueLines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!kcat.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kcat.destroyForcibly();
            throw new IllegalStateException("kcat did not finish within " + timeout);
        }
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kcat.exitValue() != 0) {
            throw new IllegalStateException("kcat exited with " + kcat.exitValue() + ": " + output);
        }
    }
}
