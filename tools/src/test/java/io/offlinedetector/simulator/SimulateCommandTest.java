package io.offlinedetector.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.Main;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.tools.ToolsMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Options of {@code simulate}, parsed without Kafka. */
class SimulateCommandTest {

    /** The command as the jar builds it, with the options' converters, parsed but not run. */
    private static SimulateCommand command(String... args) {
        CommandLine commandLine = ToolsMain.commandLine();
        commandLine.parseArgs(Stream.concat(Stream.of("simulate"), Stream.of(args)).toArray(String[]::new));
        return commandLine.getSubcommands().get("simulate").getCommand();
    }

    private static FleetSettings parse(String... args) {
        return command(args).settings();
    }

    /** Runs {@code simulate} with options that are refused before Kafka is asked; the one line on stderr. */
    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ToolsMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute(Stream.concat(Stream.of("simulate"), Stream.of(args)).toArray(String[]::new));

        assertEquals(Main.CONFIG_ERROR, status, err.toString());
        assertEquals(1, err.toString().lines().count(), "one line: " + err);
        assertTrue(err.toString().startsWith("offline-detector: "), err.toString());
        return err.toString();
    }

    @Test
    void hasTheDocumentedDefaults() {
        FleetSettings settings = parse("--bootstrap-servers", "127.0.0.1:9092");

        assertEquals(1000, settings.devices());
        assertEquals(Duration.ofSeconds(10), settings.interval());
        assertEquals(0.1, settings.dropout());
        assertEquals(Duration.ofSeconds(30), settings.silence());
        assertEquals(List.of(), settings.types());
        assertEquals(Duration.ofMinutes(10), settings.duration());
        assertEquals("device-", settings.prefix());
        assertEquals(100.0, settings.fullRatePerSecond(), 1e-9);
    }

    @Test
    void readsEveryOption() {
        SimulateCommand command = command("--bootstrap-servers", "127.0.0.1:19092", "--devices", "1_000_000", "--interval", "10m",
                "--dropout", "0.25", "--silence", "2h", "--types", "thermostat, camera,,", "--duration", "90s",
                "--prefix", "sensor-", "--seed", "-7");
        FleetSettings settings = command.settings();

        assertEquals("127.0.0.1:19092", command.kafka.load().bootstrapServers());
        assertEquals(1_000_000, settings.devices());
        assertEquals(Duration.ofMinutes(10), settings.interval());
        assertEquals(0.25, settings.dropout());
        assertEquals(Duration.ofHours(2), settings.silence());
        assertEquals(List.of("thermostat", "camera"), settings.types());
        assertEquals(Duration.ofSeconds(90), settings.duration());
        assertEquals("sensor-42", settings.deviceId(42));
        assertEquals(-7, settings.seed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--devices|0|--devices",
        "--devices|many|--devices",
        "--interval|0s|--interval",
        "--interval|10 parsecs|--interval",
        "--dropout|1.5|--dropout",
        "--dropout|-0.1|--dropout",
        "--silence|0ms|--silence",
        "--duration|forever|--duration",
        "--seed|0x10|--seed",
        "--affected|2|--affected",
        "--skew|sideways|--skew",
        "--at|soon|--at",
    })
    void refusesABadValueWithOneLineNamingTheOption(String option, String value, String named) {
        String error = refusal(option, value);
        assertTrue(error.contains(named), error);
    }

    @Test
    @DisplayName("simulate --config FILE sends with the file's security settings, as watch and topics connect")
    void theConfigFilesSecuritySettingsReachTheProducer(@TempDir Path dir) throws IOException {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sim\" password=\"secret\";";
        Path file = Files.writeString(dir.resolve("detector.properties"), String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=" + jaas,
                "ssl.truststore.location=/etc/kafka/truststore.jks",
                "ssl.truststore.password=changeit",
                "producer.linger.ms=500") + "\n");

        DetectorConfig cluster = command("--bootstrap-servers", "broker-1:9093", "--config", file.toString()).kafka.load();
        Map<String, Object> producer = FleetSimulator.producerProperties(cluster);
        Map<String, Object> topicCheck = FleetSimulator.adminProperties(cluster);

        for (Map<String, Object> client : List.of(producer, topicCheck)) {
            assertThat(client)
                    .containsEntry("bootstrap.servers", "broker-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", jaas)
                    .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                    .containsEntry("ssl.truststore.password", "changeit");
        }
        // the simulator's own tuning still wins over the detector's producer settings
        assertThat(producer).containsEntry("client.id", "fleet-simulator").containsEntry("acks", "all").containsEntry("linger.ms", 10);
    }

    @Test
    void theScenarioIsSteadyUnlessChosen() {
        assertEquals(Scenario.Kind.STEADY, parse().scenario().kind());
    }

    @Test
    void readsAScenarioWithItsOptions() {
        Scenario scenario = parse("--scenario", "Clock-Skew", "--at", "1m", "--affected", "0.3", "--skew", "90s").scenario();

        assertEquals(Scenario.Kind.CLOCK_SKEW, scenario.kind());
        assertEquals(Duration.ofMinutes(1), scenario.at());
        assertEquals(0.3, scenario.affected());
        assertEquals(Duration.ofSeconds(90), scenario.skew());
    }

    @Test
    void aStormOrOutageComesAThirdIntoTheRunUnlessToldWhen() {
        assertEquals(Duration.ofMinutes(3), parse("--scenario", "storm", "--duration", "9m").scenario().at());
        assertEquals(Duration.ofSeconds(10), parse("--scenario", "outage", "--at", "10s").scenario().at());
    }

    @Test
    void anUnknownScenarioIsRefusedNamingTheKnownOnes() {
        String error = refusal("--scenario", "earthquake");
        assertTrue(error.contains("--scenario: 'earthquake' is not one of steady, storm, outage, flapping, clock-skew"), error);
    }

    @Test
    void aStormAfterTheEndOfTheRunIsRefused() {
        StartupException e = assertThrows(StartupException.class, () -> parse("--scenario", "storm", "--at", "20m", "--duration", "10m"));
        assertTrue(e.getMessage().contains("--at"), e.getMessage());
    }

    @Test
    void refusesAPrefixWithControlCharacters() {
        assertThrows(StartupException.class, () -> parse("--prefix", "bad\tprefix"));
    }

    @Test
    void aBadOptionExitsWithTheConfigErrorStatusAndOneLine() {
        assertTrue(refusal("--dropout", "2").contains("--dropout"));
    }

    @Test
    void anUnknownOptionIsOneLineToo() {
        assertTrue(refusal("--devcies", "10").contains("--devcies"));
    }
}
