package io.offlinedetector.progress;

import java.time.Duration;

/**
 * The ingestion-stall guard's settings.
 *
 * @param minRatePerSecond traffic (records/s over {@code rateWindow}) below which it never engages
 * @param declareAfter     how long all input must stay quiet before the stall is declared
 */
public record StallGuardSettings(boolean enabled, double minRatePerSecond, Duration declareAfter, Duration rateWindow) {}
