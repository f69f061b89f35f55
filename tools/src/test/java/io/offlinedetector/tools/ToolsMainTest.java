package io.offlinedetector.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.Main;
import io.offlinedetector.cli.KafkaConnection;
import io.offlinedetector.simulator.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The tools jar's commands, whose options and errors read as the product's do. */
class ToolsMainTest {

    @Test
    void offersSimulateLocalAndCluster() {
        assertThat(ToolsMain.commandLine().getSubcommands().keySet()).containsExactly("simulate", "local", "cluster");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "simulate --devices many|--devices: 'many' is not a whole number",
        "simulate --scenario earthquake|--scenario: 'earthquake' is not one of steady, storm",
        "local --interval 2|--interval: '2' is not a duration",
        "cluster --nodes 9|--nodes must be from 1 to 5, not 9",
        "simulate --bogus|Unknown option: '--bogus'",
    })
    void aRefusedValueIsOneLineNamingTheOptionWithTheConfigErrorStatus(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ToolsMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute(args.split(" "));

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("offline-detector: " + message);
    }

    @Test
    void scenariosAreNamedInAnyCase() {
        CommandLine.ParseResult parsed = ToolsMain.commandLine().parseArgs("simulate", "--scenario", "Clock-Skew").subcommand();

        assertThat(parsed.matchedOptionValue("--scenario", Scenario.Kind.STEADY)).isEqualTo(Scenario.Kind.CLOCK_SKEW);
    }

    @Test
    void simulateTakesTheSameConnectionOptionsAsTheProductsCommands() {
        CommandSpec spec = ToolsMain.commandLine().getSubcommands().get("simulate").getCommandSpec();

        assertThat(spec.mixins().get("kafka").userObject()).isInstanceOf(KafkaConnection.class);
        assertThat(spec.findOption("--bootstrap-servers")).isNotNull();
        assertThat(spec.findOption("--config")).isNotNull();
    }
}
