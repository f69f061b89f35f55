package io.offlinedetector.simulator;

import io.offlinedetector.config.Durations;
import io.offlinedetector.config.StartupException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line values read as text and checked here, so that a bad value is one line naming the
 * option (a {@link StartupException}) rather than a usage dump.
 */
public final class OptionValues {

    private OptionValues() {}

    public static int integer(String option, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim().replace("_", ""));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(option + ": '" + text + "' is not a whole number from " + min + " to " + max);
    }

    public static long longValue(String option, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new StartupException(option + ": '" + text + "' is not a whole number");
        }
    }

    /** A share such as {@code 0.1}, from 0 to 1. */
    public static double share(String option, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StartupException(option + ": '" + text + "' is not a share from 0 to 1, such as 0.1");
    }

    /** A duration, zero included, such as {@code 0s} or {@code 10s}. */
    public static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StartupException(option + ": " + e.getMessage());
        }
    }

    /** A duration greater than zero, such as {@code 10s}. */
    public static Duration positiveDuration(String option, String text) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StartupException(option + ": " + e.getMessage());
        }
        if (duration.isZero()) {
            throw new StartupException(option + " must be greater than zero");
        }
        return duration;
    }

    /** A comma-separated list; blanks are dropped, so that an empty value is an empty list. */
    public static List<String> list(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
