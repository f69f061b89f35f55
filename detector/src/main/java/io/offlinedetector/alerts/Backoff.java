package io.offlinedetector.alerts;

/**
 * Delays between retries: doubling from {@code firstMs} up to {@code maxMs}.
 */
record Backoff(long firstMs, long maxMs) {

    /** From half a second to half a minute. */
    static final Backoff DEFAULT = new Backoff(500, 30_000);

    long delayMs(int attempt) {
        return attempt >= 30 ? maxMs : Math.min(maxMs, firstMs << attempt);
    }
}
