package io.offlinedetector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.Main;
import io.offlinedetector.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line as a user meets it. Every run here fails in ConfigLoader, which runs before
 * App.start, so no Kafka is needed.
 */
class RunCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void runHelpListsEverySettingFlag() {
        int exit = execute("run", "--help");

        assertEquals(0, exit);
        String help = out.toString();
        for (Setting setting : Setting.values()) {
            assertTrue(help.contains("--" + setting.flag()), "help lacks --" + setting.flag() + ":\n" + help);
            assertTrue(help.contains(setting.env()), "help lacks " + setting.env() + ":\n" + help);
        }
        assertTrue(help.contains("--config"), help);
        assertTrue(help.contains("--type-timeout"), help);
    }

    @Test
    void badDurationFlagIsAConfigErrorOnOneLine() {
        int exit = execute("run", "--check-interval=abc");

        assertEquals(Main.CONFIG_ERROR, exit);
        assertOneLineError("check-interval");
    }

    @Test
    void badHttpPortIsAConfigError() {
        assertEquals(Main.CONFIG_ERROR, execute("run", "--http-port", "70000"));
        assertOneLineError("http-port");
    }

    @Test
    void badTypeTimeoutIsAConfigError() {
        assertEquals(Main.CONFIG_ERROR, execute("run", "--type-timeout", "thermostat=soon"));
        assertOneLineError("thermostat");
    }

    @Test
    void missingConfigFileIsAConfigError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.properties");

        assertEquals(Main.CONFIG_ERROR, execute("run", "--config", missing.toString()));
        assertOneLineError(missing.toString());
    }

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private void assertOneLineError(String fragment) {
        String text = err.toString();
        String line = text.strip();
        assertTrue(line.startsWith("offline-detector: "), text);
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(line.contains(fragment), text);
    }
}
