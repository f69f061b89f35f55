package io.offlinedetector.simulator;

import io.offlinedetector.config.StartupException;
import io.offlinedetector.config.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens to the simulated fleet on top of its steady heartbeats (and its dropouts, which
 * every scenario keeps).
 *
 * @param kind     which scenario
 * @param at       when a storm or an outage happens, from the start of the run
 * @param affected share of devices, 0 to 1, that flap or whose clocks are off
 * @param skew     how far off those clocks are: half the affected devices ahead, half behind
 */
public record Scenario(Kind kind, Duration at, double affected, Duration skew) {

    public enum Kind {
        /** Each device once per interval, spread evenly. */
        STEADY("steady"),
        /** At {@code at} every device sends at once, as after a network comes back; then steady. */
        STORM("storm"),
        /** From {@code at}, every device is silent for the silence time; then steady again. */
        OUTAGE("outage"),
        /**
         * The affected devices ask for a timeout of 1.5 intervals and skip every third heartbeat:
         * each goes OFFLINE and comes back ONLINE every three intervals.
         */
        FLAPPING("flapping"),
        /** The affected devices stamp their heartbeats {@code skew} ahead of or behind the real time. */
        CLOCK_SKEW("clock-skew");

        private final String option;

        Kind(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }

        /** @throws IllegalArgumentException naming the known scenarios */
        public static Kind of(String option) {
            for (Kind kind : values()) {
                if (kind.option.equals(option.trim().toLowerCase(Locale.ROOT))) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("'" + option + "' is not one of "
                    + Arrays.stream(values()).map(Kind::option).collect(Collectors.joining(", ")));
        }
    }

    public static final Scenario STEADY = new Scenario(Kind.STEADY, Duration.ZERO, 0, Duration.ZERO);

    public Scenario {
        if (at == null || at.isNegative()) {
            throw new StartupException("--at must not be negative");
        }
        if (!(affected >= 0 && affected <= 1)) {
            throw new StartupException("--affected must be a share from 0 to 1, not " + affected);
        }
        if (skew == null || skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0) {
            throw new StartupException("--skew must be from 0 to 1d");
        }
    }

    /** A few words for the console. */
    public String describe(Duration silence) {
        return switch (kind) {
            case STEADY -> "steady";
            case STORM -> "storm: every device at once at " + Durations.format(at);
            case OUTAGE -> "outage: every device silent from " + Durations.format(at) + " for " + Durations.format(silence);
            case FLAPPING -> String.format(Locale.ROOT, "flapping: %.0f%% of the devices toggle around their timeout", affected * 100);
            case CLOCK_SKEW -> String.format(Locale.ROOT, "clock skew: %.0f%% of the devices %s ahead or behind", affected * 100,
                    Durations.format(skew));
        };
    }
}
