package io.offlinedetector.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A detector instance in its own JVM, started from the product jar as users start it
 * ({@code java -Xmx… -jar offline-detector.jar run …}), its output in a log file. The bench can
 * crash it for real ({@link #kill()}: SIGKILL) and reads its memory from {@code /proc}.
 */
final class DetectorJvm implements AutoCloseable {

    /** The product jar, from the repository's root, where {@code scripts/bench} runs. */
    static final Path DEFAULT_JAR = Path.of("detector", "target", "offline-detector.jar");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final String url;
    private final Path log;

    private DetectorJvm(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * @param heap       the {@code -Xmx} value, such as {@code 384m}
     * @param runOptions the {@code run} command's options
     */
    static DetectorJvm start(Path jar, String heap, int httpPort, Path log, List<String> runOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-jar", jar.toString(), "run",
                "--http-bind", "127.0.0.1",
                "--http-port", Integer.toString(httpPort)));
        command.addAll(runOptions);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new DetectorJvm(process, "http://127.0.0.1:" + httpPort, log);
    }

    /** A size as {@code -Xmx} spells it: in the largest of g, m and k that divides it exactly, such as {@code 384m}. */
    static String heapSize(long bytes) {
        String[] units = {"g", "m", "k"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /**
     * The product jar of the checkout this bench runs from, so that the instances are the same build:
     * {@code detector/target/offline-detector.jar} beside the bench module whose jar (or
     * {@code target/classes}) holds this class; else {@link #DEFAULT_JAR} from the working directory.
     */
    static Path jar() {
        try {
            Path source = Path.of(DetectorJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path sibling = besideModule(source);
            if (sibling != null && Files.isRegularFile(sibling)) {
                return sibling;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            // no code source to go by; fall back below
        }
        if (!Files.isRegularFile(DEFAULT_JAR)) {
            throw new IllegalStateException(DEFAULT_JAR.toAbsolutePath() + " is missing; run mvn package first");
        }
        return DEFAULT_JAR;
    }

    /** {@code <root>/bench/target/<jar or classes>} → {@code <root>/detector/target/offline-detector.jar}; null when not so deep. */
    static Path besideModule(Path codeSource) {
        Path target = codeSource.toAbsolutePath().getParent();
        Path module = target == null ? null : target.getParent();
        Path root = module == null ? null : module.getParent();
        return root == null ? null : root.resolve(DEFAULT_JAR);
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size now, in bytes. */
    long residentBytes() {
        return Footprint.procStatusBytes(Long.toString(pid()), "VmRSS");
    }

    /** The most the JVM was ever resident, in bytes. */
    long peakResidentBytes() {
        return Footprint.procStatusBytes(Long.toString(pid()), "VmHWM");
    }

    /** Asks the JVM for a full collection ({@code jcmd <pid> GC.run}), so that garbage does not count as heap in use. */
    void collectGarbage() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return; // a JRE without jcmd: the heap figure then includes garbage
        }
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(30, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
        }
    }

    /** SIGKILL: the instance vanishes mid-work, no shutdown hook, no leaving the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator stops it (it leaves the group), and SIGKILL if it has not exited in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** For a shutdown hook: no waiting. */
    void destroyNow() {
        process.destroyForcibly();
    }
}
