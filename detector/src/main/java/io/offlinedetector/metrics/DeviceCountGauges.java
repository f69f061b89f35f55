package io.offlinedetector.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import io.offlinedetector.query.GroupCount;
import io.offlinedetector.query.GroupCounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gauge per status and key (device type or group): how many devices of this instance's active
 * partitions have that status and key, so that a {@code sum} across instances is the fleet. The
 * counts are read at each scrape from the counts the state store keeps per key, never from the
 * devices; a partition that cannot be read at that moment is left out of that scrape, and a key no
 * device has any more loses its series.
 */
final class DeviceCountGauges {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCountGauges.class);

    private final CountKind kind;
    private final String keyLabel;
    private final Function<CountKind, GroupCounts> counts;
    private final MultiGauge gauge;
    /**
     * The counts of the latest scrape by series. Registered rows keep reading it, so that a series
     * that stays is not re-registered at every scrape (there may be very many groups).
     */
    private volatile Map<Tags, Long> latest = Map.of();

    /**
     * @param keyLabel the label the key goes in; devices without a key have the value {@code ""}
     * @param counts   this instance's counts by key, of its active partitions only
     */
    DeviceCountGauges(MeterRegistry registry, String name, String description, CountKind kind, String keyLabel,
            Function<CountKind, GroupCounts> counts) {
        this.kind = kind;
        this.keyLabel = keyLabel;
        this.counts = counts;
        this.gauge = MultiGauge.builder(name).description(description).register(registry);
    }

    /** Reads the counts again, adds the series of new keys and removes those of keys that are gone. */
    synchronized void refresh() {
        Map<Tags, Long> next = new HashMap<>();
        try {
            for (GroupCount count : counts.apply(kind).groups()) {
                String key = count.key() == null ? "" : count.key();
                next.merge(Tags.of("status", Status.ONLINE.name(), keyLabel, key), count.online(), Long::sum);
                next.merge(Tags.of("status", Status.OFFLINE.name(), keyLabel, key), count.offline(), Long::sum);
            }
        } catch (RuntimeException e) {
            // not running (starting, rebalancing away, closing): nothing to count here this time
            LOG.warn("Device counts by {} left out of this scrape: {}", kind.field(), e.toString());
            next.clear();
        }
        latest = next;
        List<MultiGauge.Row<?>> rows = next.keySet().stream()
                .<MultiGauge.Row<?>>map(tags -> MultiGauge.Row.of(tags, this, gauges -> gauges.value(tags)))
                .toList();
        gauge.register(rows, false);
    }

    /** NaN for a series read while a concurrent scrape is removing it. */
    private double value(Tags series) {
        Long count = latest.get(series);
        return count == null ? Double.NaN : count;
    }
}
