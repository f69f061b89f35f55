package io.offlinedetector.progress;

import io.offlinedetector.topology.InputProgress;
import io.offlinedetector.topology.Rerouting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the input topic's end offsets (read_committed, as the detector reads) and the
 * application's committed offsets, so the stream threads can tell how far their input is provably
 * read (see {@code DetectorClock}). The wall-clock time of each observation is taken before the
 * request: every record appended before it has an offset below the end offset returned.
 *
 * <p>With re-routing ({@link Rerouting}) each poll also answers, for every partition {@code q}: up
 * to what time have all other partitions handed on their records? Partition {@code p} has, up to the
 * time its committed offset reaches in its end-offset history: its task commits the hand-over in the
 * same transaction as the offset. The re-routing topic's end offset (high watermark, so that records
 * of transactions still open count) is read after the commits, so a task of {@code q} that has read
 * past it has read everything handed on by then.
 */
public final class EndOffsetMonitor implements InputProgress, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndOffsetMonitor.class);

    /**
     * How often the offsets are read. A caught-up detector's clock trails the wall clock by one
     * interval plus the request, and the detection target allows {@code check.interval} + 250 ms
     * from a deadline to its detection (docs/performance.md, 'Targets'): at 200 ms the bench's p99
     * came to 1,260 ms against 1,250.
     */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    private final Admin admin;
    private final String groupId;
    private final String topic;
    private final Duration interval;
    private final LongSupplier wallClock;
    private final StallGuard stallGuard;
    private final EndOffsetHistory[] histories;
    private final AtomicLongArray committed;
    private final Rerouting rerouting;
    /** Per partition: re-routing topic end offset → time through which every other partition was handed on. */
    private final EndOffsetHistory[] handedOn;
    private final AtomicLongArray committedRerouted;
    private final ScheduledExecutorService scheduler;
    private boolean failing;

    public EndOffsetMonitor(Admin admin, String groupId, String topic, Rerouting rerouting, int partitions, Duration interval,
            StallGuardSettings stall, LongSupplier wallClock) {
        this.admin = admin;
        this.groupId = groupId;
        this.topic = topic;
        this.interval = interval;
        this.wallClock = wallClock;
        this.stallGuard = new StallGuard(stall.enabled(), stall.minRatePerSecond(), stall.declareAfter().toMillis(),
                stall.rateWindow().toMillis());
        this.histories = new EndOffsetHistory[partitions];
        for (int p = 0; p < partitions; p++) {
            histories[p] = new EndOffsetHistory();
        }
        // No commit yet means reading starts at the beginning: an empty partition is read through.
        this.committed = new AtomicLongArray(partitions);
        this.rerouting = rerouting;
        this.handedOn = new EndOffsetHistory[partitions];
        for (int p = 0; p < partitions; p++) {
            handedOn[p] = new EndOffsetHistory();
        }
        this.committedRerouted = new AtomicLongArray(partitions);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "input-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long readThrough(int partition, long nextOffset) {
        // The committed offset also steps over transaction markers, which no record's offset does.
        long next = Math.max(nextOffset, committed.get(partition));
        return next < 0 ? -1 : histories[partition].latestTimeWithEndAtMost(next);
    }

    @Override
    public long reroutedThrough(int partition, long nextReroutedOffset) {
        long next = Math.max(nextReroutedOffset, committedRerouted.get(partition));
        return handedOn[partition].latestTimeWithEndAtMost(next);
    }

    @Override
    public Stall stall() {
        return stallGuard.stall();
    }

    private void pollSafely() {
        try {
            poll();
            if (failing) {
                LOG.info("Input progress: end offsets readable again");
                failing = false;
            }
        } catch (Exception e) {
            // The clock then simply stops advancing: no decision is made on stale knowledge.
            if (!failing) {
                LOG.warn("Input progress: cannot read end offsets of {} ({}); offline decisions wait", topic, e.toString());
                failing = true;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void poll() throws Exception {
        long observedAt = wallClock.getAsLong();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < histories.length; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long timeoutMs = Math.max(1_000, interval.toMillis() * 5);
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> commits = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
            int partition = end.getKey().partition();
            histories[partition].observe(end.getValue().offset(), observedAt);
            total += end.getValue().offset();
            OffsetAndMetadata commit = commits.get(end.getKey());
            if (commit != null) {
                committed.accumulateAndGet(partition, commit.offset(), Math::max);
            }
        }
        stallGuard.observe(observedAt, total);
        if (rerouting.enabled()) {
            observeHandOver(commits, timeoutMs);
        }
    }

    /** After the commits were read, so that the re-routing topic's end covers what they hand on. */
    private void observeHandOver(Map<TopicPartition, OffsetAndMetadata> commits, long timeoutMs) throws Exception {
        // The earliest and second-earliest "handed on through" time: each partition waits for all the others.
        int earliestPartition = -1;
        long earliest = Long.MAX_VALUE;
        long secondEarliest = Long.MAX_VALUE;
        for (int p = 0; p < histories.length; p++) {
            long through = histories[p].latestTimeWithEndAtMost(committed.get(p));
            if (through < earliest) {
                secondEarliest = earliest;
                earliest = through;
                earliestPartition = p;
            } else if (through < secondEarliest) {
                secondEarliest = through;
            }
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < handedOn.length; p++) {
            request.put(new TopicPartition(rerouting.topic(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
            int partition = end.getKey().partition();
            handedOn[partition].observe(end.getValue().offset(), partition == earliestPartition ? secondEarliest : earliest);
            OffsetAndMetadata commit = commits.get(end.getKey());
            if (commit != null) {
                committedRerouted.accumulateAndGet(partition, commit.offset(), Math::max);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
