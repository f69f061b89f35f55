package io.offlinedetector.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.tools.ToolsMain;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The fleet options that {@code simulate} and {@code local} share, each with its own defaults. */
class FleetOptionsTest {

    private static final List<String> FLEET_OPTIONS = List.of("--devices", "--interval", "--dropout", "--silence", "--types", "--seed");

    private static CommandSpec spec(CommandLine commandLine, String command) {
        return commandLine.getSubcommands().get(command).getCommandSpec();
    }

    private static FleetSettings fleetOf(String command, String... options) {
        CommandLine commandLine = ToolsMain.commandLine();
        commandLine.parseArgs(Stream.concat(Stream.of(command), Stream.of(options)).toArray(String[]::new));
        FleetOptions fleet = (FleetOptions) spec(commandLine, command).mixins().get("fleetOptions").userObject();
        return fleet.settings(Duration.ofMinutes(1), "device-", Duration.ofSeconds(1), Scenario.STEADY);
    }

    @Test
    void simulateAndLocalDescribeTheirFleetWithTheSameOptions() {
        CommandLine commandLine = ToolsMain.commandLine();
        for (String command : List.of("simulate", "local")) {
            assertThat(spec(commandLine, command).mixins().get("fleetOptions").userObject()).as(command).isInstanceOf(FleetOptions.class);
            for (String option : FLEET_OPTIONS) {
                assertThat(spec(commandLine, command).findOption(option)).as(command + " " + option).isNotNull();
            }
        }
    }

    @Test
    void simulateSendsASteadyFleetOfAThousandByDefault() {
        FleetSettings fleet = fleetOf("simulate");

        assertThat(fleet.devices()).isEqualTo(1000);
        assertThat(fleet.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fleet.dropout()).isEqualTo(0.1);
        assertThat(fleet.silence()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fleet.types()).isEmpty();
        assertThat(fleet.seed()).isEqualTo(1);
    }

    @Test
    void theLocalDemoHasASmallLivelyFleetByDefault() {
        FleetSettings fleet = fleetOf("local");

        assertThat(fleet.devices()).isEqualTo(200);
        assertThat(fleet.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fleet.dropout()).isEqualTo(0.2);
        assertThat(fleet.silence()).isEqualTo(Duration.ofSeconds(30));
        assertThat(fleet.types()).containsExactly("thermostat", "camera", "gateway");
        assertThat(fleet.seed()).isEqualTo(1);
    }

    @Test
    void givenOptionsReplaceTheCommandsDefaults() {
        FleetSettings fleet = fleetOf("local", "--devices", "5", "--interval", "500ms", "--dropout", "0", "--silence", "1m",
                "--types", " a,,b ", "--seed", "42");

        assertThat(fleet.devices()).isEqualTo(5);
        assertThat(fleet.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(fleet.dropout()).isZero();
        assertThat(fleet.silence()).isEqualTo(Duration.ofMinutes(1));
        assertThat(fleet.types()).containsExactly("a", "b");
        assertThat(fleet.seed()).isEqualTo(42);
        assertThat(fleetOf("local", "--types", "").types()).as("none: empty values").isEmpty();
    }

    @Test
    void eachCommandsHelpShowsItsOwnDefaults() {
        assertThat(help("simulate")).contains("simulated devices (default 1000)", "(default 10s)", "(default 0.1)");
        assertThat(help("local")).contains("simulated devices (default 200)", "(default 2s)", "(default 0.2)", "'thermostat,camera,gateway'");
    }

    private static String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ToolsMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute(command, "--help")).isZero();
        return out.toString();
    }
}
