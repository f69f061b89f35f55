package io.offlinedetector.cli;

import io.offlinedetector.config.StartupException;
import java.time.Duration;

/**
 * What an option's type cannot say, checked once it is converted: a duration that must not be zero,
 * a number with bounds. A failure is bad configuration, one line that names the option.
 */
public final class OptionChecks {

    private OptionChecks() {}

    public static Duration positive(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new StartupException(option + " must be greater than zero");
        }
        return value;
    }

    public static int between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new StartupException(option + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }
}
