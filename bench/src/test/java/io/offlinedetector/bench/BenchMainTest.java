package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The bench jar's command, whose options and errors read as the product's do. */
class BenchMainTest {

    @Test
    void offersBench() {
        assertThat(BenchMain.commandLine().getSubcommands().keySet()).containsExactly("bench");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bench --fleet-heap lots|--fleet-heap: 'lots' is not a size",
        "bench --repeat twice|--repeat: 'twice' is not a whole number",
    })
    void aRefusedValueIsOneLineNamingTheOptionWithTheConfigErrorStatus(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = BenchMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute(args.split(" "));

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("offline-detector: " + message);
    }
}
