package io.offlinedetector.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.Main;
import io.offlinedetector.config.StartupException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Options of {@code simulate}, parsed without Kafka. */
class SimulateCommandTest {

    private static FleetSettings parse(String... args) {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
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
        FleetSettings settings = parse("--bootstrap-servers", "127.0.0.1:19092", "--devices", "1_000_000", "--interval", "10m",
                "--dropout", "0.25", "--silence", "2h", "--types", "thermostat, camera,,", "--duration", "90s",
                "--prefix", "sensor-", "--seed", "-7");

        assertEquals("127.0.0.1:19092", settings.bootstrapServers());
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
    void refusesABadValueNamingTheOption(String option, String value, String named) {
        StartupException e = assertThrows(StartupException.class, () -> parse(option, value));
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
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
        StartupException e = assertThrows(StartupException.class, () -> parse("--scenario", "earthquake"));
        assertTrue(e.getMessage().contains("steady, storm, outage, flapping, clock-skew"), e.getMessage());
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
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int status = commandLine.execute("simulate", "--dropout", "2");

        assertEquals(Main.CONFIG_ERROR, status);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--dropout"), err.toString());
    }
}
