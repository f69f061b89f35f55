package io.offlinedetector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Security settings in the {@code --config} file that Kafka's client refuses before it connects
 * anywhere: start-up stops with exit status 2 and one line, not a stack trace. No Kafka is needed.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KafkaClientSettingsTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void malformedJaasConfigIsAConfigErrorOnOneLine() throws Exception {
        int exit = run("security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\"");

        assertEquals(Main.CONFIG_ERROR, exit);
        assertOneLine("cannot create a Kafka client from the configuration");
    }

    @Test
    void unknownSecurityProtocolIsAConfigErrorOnOneLine() throws Exception {
        int exit = run("security.protocol=SASL_PLAIN");

        assertEquals(Main.CONFIG_ERROR, exit);
        assertOneLine("security.protocol");
    }

    private int run(String... securityLines) throws Exception {
        Path config = dir.resolve("detector.properties");
        // Port 9 (discard) on loopback: nothing listens, and nothing is sent, since the client never gets made.
        Files.writeString(config, "bootstrap.servers=127.0.0.1:9\nhttp.bind=127.0.0.1\nhttp.port=0\nstate.dir="
                + dir.resolve("state").toString().replace('\\', '/') + "\n" + String.join("\n", securityLines) + "\n");
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("run", "--config", config.toString());
    }

    private void assertOneLine(String fragment) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.startsWith("offline-detector: "), text);
        assertTrue(text.contains(fragment), text);
    }
}
