package io.offlinedetector.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options that describe a simulated fleet, shared by the commands that simulate one
 * ({@code simulate}, {@code local}). Some defaults differ between them, a large steady fleet for
 * {@code simulate}, a small lively one for the demo: each command names its own in a
 * {@link Defaults} provider.
 */
public final class FleetOptions {

    @Option(names = "--devices", paramLabel = "N", description = "simulated devices (default ${DEFAULT-VALUE})")
    private int devices;

    @Option(names = "--interval", paramLabel = "DURATION", description = "heartbeat interval of each device (default ${DEFAULT-VALUE})")
    private Duration interval;

    @Option(names = "--dropout", paramLabel = "SHARE",
            description = "share of devices, 0 to 1, that go silent for a while and then come back (default ${DEFAULT-VALUE})")
    private double dropout;

    @Option(names = "--silence", paramLabel = "DURATION", defaultValue = "30s",
            description = "how long a device that drops out stays silent (default ${DEFAULT-VALUE})")
    private Duration silence;

    @Option(names = "--types", paramLabel = "TYPE,...", split = ",", hideParamSyntax = true,
            description = "device types, assigned round-robin and sent as {\"deviceType\":\"...\"}; none: empty values (default '${DEFAULT-VALUE}')")
    private List<String> types = List.of();

    @Option(names = "--seed", paramLabel = "NUMBER", defaultValue = "1",
            description = "seed of the dropout pattern: the same seed silences the same devices at the same times (default ${DEFAULT-VALUE})")
    private long seed;

    /**
     * The fleet with what the command adds to it.
     *
     * @throws io.offlinedetector.config.StartupException naming the option whose value is out of range
     */
    public FleetSettings settings(Duration duration, String prefix, Duration progressEvery, Scenario scenario) {
        // "a,,b" and "a, b" name two types, as they always have
        List<String> named = types.stream().map(String::strip).filter(type -> !type.isEmpty()).toList();
        return new FleetSettings(devices, interval, dropout, silence, named, duration, prefix, seed, progressEvery, scenario);
    }

    /** A command's defaults of the fleet options whose default depends on the command. */
    public abstract static class Defaults implements IDefaultValueProvider {

        private final Map<String, String> values;

        /** @param types comma-separated, or empty for heartbeats with empty values */
        protected Defaults(int devices, String interval, String dropout, String types) {
            values = Map.of("--devices", Integer.toString(devices), "--interval", interval, "--dropout", dropout, "--types", types);
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec option ? values.get(option.longestName()) : null;
        }
    }
}
