package io.offlinedetector.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a fuzz test. By default a fixed one, so that every build runs the same inputs and a
 * rare input a fuzzer finds cannot fail one build in a hundred (CI once failed that way, on a
 * request target the generator should have left out). {@code -Dfuzz.seed=random} draws a new seed
 * to explore; {@code -Dfuzz.seed=<n>} repeats one. A failure always names its seed.
 */
public final class FuzzSeed {

    private static final String PROPERTY = "fuzz.seed";

    private FuzzSeed() {}

    public static long get(long fixed) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return fixed;
        }
        if (value.equals("random")) {
            return ThreadLocalRandom.current().nextLong();
        }
        return Long.parseLong(value.trim());
    }
}
