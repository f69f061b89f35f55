package io.offlinedetector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offlinedetector.Main;
import io.offlinedetector.config.ByteSize;
import io.offlinedetector.domain.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** The converters every command's options go through, and how a value they refuse reaches the user. */
class OptionConvertersTest {

    @Test
    void durationsAreWrittenAsInTheConfiguration() {
        assertThat(OptionConverters.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionConverters.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(OptionConverters.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(OptionConverters.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(OptionConverters.duration("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aDurationWithoutItsUnitIsRefusedNamingTheFormat() {
        assertThatThrownBy(() -> OptionConverters.duration("30"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'30' is not a duration").hasMessageContaining("500ms, 30s or 10m");
    }

    @Test
    void sizesAreWrittenAsInTheConfiguration() {
        assertThat(OptionConverters.byteSize("384m")).isEqualTo(new ByteSize(384L << 20));
        assertThat(OptionConverters.byteSize("256MiB")).isEqualTo(new ByteSize(256L << 20));
        assertThat(OptionConverters.byteSize("1048576").toString()).isEqualTo("1MiB");
        assertThatThrownBy(() -> OptionConverters.byteSize("lots")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'lots' is not a size");
    }

    @Test
    void wholeNumbersMayGroupTheirDigits() {
        assertThat(OptionConverters.integer("1_000_000")).isEqualTo(1_000_000);
        assertThat(OptionConverters.wholeNumber("-7")).isEqualTo(-7L);
        assertThatThrownBy(() -> OptionConverters.wholeNumber("0x10")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'0x10' is not a whole number");
        assertThatThrownBy(() -> OptionConverters.integer("3000000000")).isInstanceOf(TypeConversionException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "topics --timeout soon|--timeout: 'soon' is not a duration",
        "watch --duration 3|--duration: '3' is not a duration",
        "watch --status SLEEPING|--status: 'SLEEPING' is not ONLINE or OFFLINE",
        "watch --status unknown|--status: 'unknown' is not ONLINE or OFFLINE",
        "watch --bogus|Unknown option: '--bogus'",
    })
    void aRefusedValueIsOneLineNamingTheOptionWithTheConfigErrorStatus(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute(args.split(" "));

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("offline-detector: " + message);
    }

    @Test
    void namedValuesIgnoreCase() {
        assertThat(parsed("watch", "--status", "offline").matchedOptionValue("--status", Status.ONLINE)).isEqualTo(Status.OFFLINE);
    }

    @Test
    void aParserBecomesAConverterWhoseMessageIsTheParsersOwn() throws Exception {
        assertThat(OptionConverters.parsing(Duration::parse).convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> OptionConverters.parsing(text -> {
            throw new IllegalArgumentException("'" + text + "' is not one of a, b");
        }).convert("c")).isInstanceOf(TypeConversionException.class).hasMessage("'c' is not one of a, b");
    }

    private static CommandLine.ParseResult parsed(String command, String... options) {
        CommandLine commandLine = Main.commandLine();
        String[] args = new String[options.length + 1];
        args[0] = command;
        System.arraycopy(options, 0, args, 1, options.length);
        return commandLine.parseArgs(args).subcommand();
    }
}
