package io.offlinedetector.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from Debian's packages that checks a shipped file for real, as operators'
 * pipelines do: {@code promtool} (package {@code prometheus}), {@code amtool} and the Alertmanager
 * itself (package {@code prometheus-alertmanager}). Without it a developer's run skips the test;
 * with {@code CI} set it fails instead, as {@link Kcat} does.
 *
 * @param binary        where Debian's package puts it
 * @param debianPackage the package that has it
 */
public record Tool(Path binary, String debianPackage) {

    public static final Tool PROMTOOL = new Tool(Path.of("/usr/bin/promtool"), "prometheus");
    public static final Tool AMTOOL = new Tool(Path.of("/usr/bin/amtool"), "prometheus-alertmanager");
    public static final Tool ALERTMANAGER = new Tool(Path.of("/usr/bin/prometheus-alertmanager"), "prometheus-alertmanager");

    /** A check of a few files takes well under a second; this only stops a tool that hangs. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** How a run ended: the exit code, and stdout and stderr together, to show when it failed. */
    public record Result(List<String> command, int exitCode, String output) {

        /** For an assertion's description: the command, its exit code and everything it printed. */
        public String report() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }

    public void requireInstalled() {
        if (Files.isExecutable(binary)) {
            return;
        }
        String missing = "this test needs " + binary + " (apt-get install " + debianPackage + ")";
        if (System.getenv("CI") != null) {
            fail(missing + "; CI is set, so this fails instead of skipping");
        }
        assumeTrue(false, missing);
    }

    /** Runs the tool to its end; its output goes to a file, so that a chatty tool never blocks on a full pipe. */
    public Result run(String... arguments) throws IOException, InterruptedException {
        requireInstalled();
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("od-tool-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + TIMEOUT + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
