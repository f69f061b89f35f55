package io.offlinedetector.cli;

import io.offlinedetector.config.ByteSize;
import io.offlinedetector.config.Durations;
import io.offlinedetector.domain.Status;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The option types of every command, converted in one place and registered once on the command
 * line: durations as the detector's configuration writes them ({@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 2h}, {@code 7d}), byte sizes ({@code 384m}, {@code 256MiB}), whole numbers
 * that may group their digits ({@code 1_000_000}), statuses by name, in any case. A value that does not
 * convert is refused before the command runs, in one line that names the option. The tools register
 * their own types (the simulator's scenarios) with {@link #parsing}.
 */
public final class OptionConverters {

    private OptionConverters() {}

    /** Registers every converter on the command line and all its subcommands; call it once the subcommands are added. */
    public static CommandLine register(CommandLine commandLine) {
        commandLine.registerConverter(Duration.class, OptionConverters::duration);
        commandLine.registerConverter(ByteSize.class, OptionConverters::byteSize);
        commandLine.registerConverter(Integer.class, OptionConverters::integer);
        commandLine.registerConverter(int.class, OptionConverters::integer);
        commandLine.registerConverter(Long.class, OptionConverters::wholeNumber);
        commandLine.registerConverter(long.class, OptionConverters::wholeNumber);
        commandLine.registerConverter(Status.class, OptionConverters::eventStatus);
        return commandLine;
    }

    /** A converter from a parser that throws {@link IllegalArgumentException} with a message naming the accepted format. */
    public static <T> ITypeConverter<T> parsing(Function<String, T> parse) {
        return text -> converted(parse, text);
    }

    static Duration duration(String text) {
        return converted(Durations::parse, text);
    }

    static ByteSize byteSize(String text) {
        return converted(ByteSize::parse, text);
    }

    static long wholeNumber(String text) {
        try {
            return Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number");
        }
    }

    static int integer(String text) {
        long value = wholeNumber(text);
        if (value != (int) value) {
            throw new TypeConversionException("'" + text + "' is not a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** A status that an event changes to; {@code UNKNOWN} is only ever where a device starts from. */
    static Status eventStatus(String text) {
        for (Status status : new Status[] {Status.ONLINE, Status.OFFLINE}) {
            if (status.name().equalsIgnoreCase(text.trim())) {
                return status;
            }
        }
        throw new TypeConversionException("'" + text + "' is not ONLINE or OFFLINE");
    }

    /** The parser's own message, which names the accepted format, becomes the conversion error. */
    private static <T> T converted(Function<String, T> parse, String text) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
