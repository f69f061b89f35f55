package io.offlinedetector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Options of {@code watch} that are refused before Kafka is asked. */
class WatchCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--status|SLEEPING|--status",
        "--max-events|0|--max-events",
        "--max-events|lots|--max-events",
        "--duration|forever|--duration",
        "--timeout|0s|--timeout",
    })
    void refusesABadValueWithOneLineNamingTheOption(String option, String value, String named) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("watch", "--bootstrap-servers", "127.0.0.1:9", option, value);

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("offline-detector: ").contains(named);
    }
}
