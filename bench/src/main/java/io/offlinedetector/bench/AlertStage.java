package io.offlinedetector.bench;

import io.offlinedetector.local.LocalBroker;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * g. The Alertmanager client at scale: a detector JVM with a fleet of which one device in ten goes
 * OFFLINE (100,000 of 1,000,000), sending to a receiver that takes every post at once. It measures
 * how long the first full set of alerts takes after start-up, the rate of a resend (every OFFLINE
 * device read from the stores and posted again), and the detector's heap meanwhile.
 */
final class AlertStage {

    /** One device in this many goes OFFLINE: 100,000 of a fleet of 1,000,000. */
    static final int OFFLINE_EVERY = 10;
    private static final String RESEND = "20s";
    /** No alert for this long: between two resends, which come every {@link #RESEND}. */
    private static final long QUIET_MS = 2_000;
    private static final byte[] OFFLINE_BODY = "{\"timeoutMs\":1000,\"group\":\"site-offline\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ONLINE_BODY = "{\"timeoutMs\":86400000,\"group\":\"site-online\"}".getBytes(StandardCharsets.UTF_8);

    private final String bootstrap;
    private final Admin admin;
    private final long devices;
    private final String heap;
    private final Path dir;
    private final Duration limit;
    private final Report report;

    AlertStage(String bootstrap, Admin admin, long devices, String heap, Path dir, Duration limit, Report report) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.devices = devices;
        this.heap = heap;
        this.dir = dir;
        this.limit = limit;
        this.report = report;
    }

    void run() throws IOException, InterruptedException {
        BenchCommand.deleteRecursively(dir);
        InputTopic.empty(admin);
        long offline = (devices + OFFLINE_EVERY - 1) / OFFLINE_EVERY;
        preload();
        try (AlertReceiver receiver = new AlertReceiver();
                DetectorJvm detector = DetectorJvm.start(DetectorJvm.jar(), heap, LocalBroker.freePort(), dir.resolve("a.log"), List.of(
                        "--bootstrap-servers", bootstrap,
                        "--application-id", "bench-alerts-" + Long.toString(System.currentTimeMillis(), 36),
                        "--state-dir", dir.resolve("a-state").toAbsolutePath().toString(),
                        "--alertmanager-url", receiver.url(),
                        "--alertmanager-resend-interval", RESEND))) {
            long start = System.nanoTime();
            awaitAtLeast("every OFFLINE device's alert", receiver::devices, offline);
            double firstSeconds = (System.nanoTime() - start) / 1e9;
            report.add("g. alerts", String.format("start-up to every alert sent (%,d of %,d devices OFFLINE, catch-up included)", offline, devices),
                    firstSeconds, "s");

            // The next resend posts every OFFLINE device again: its pace is the sender's, from the stores.
            // A resend may already be under way when the first full set is in (its interval runs from
            // the start, catch-up included): the one timed starts after a quiet spell.
            awaitQuiet(receiver::alerts);
            long before = receiver.alerts();
            awaitAtLeast("the resend's first alert", receiver::alerts, before + 1);
            long passStart = System.nanoTime();
            awaitAtLeast("the whole resend", receiver::alerts, before + offline);
            double passSeconds = (System.nanoTime() - passStart) / 1e9;
            report.add("g. alerts", "resend of every firing alert, read from the stores", offline / passSeconds, "alerts/s");
            report.add("g. alerts", "alerts per post", receiver.alerts() / (double) Math.max(1, receiver.posts()), "alerts");

            detector.collectGarbage();
            try (HttpConnection connection = new HttpConnection(detector.url(), Duration.ofSeconds(30))) {
                HttpConnection.Answer metrics = connection.get("/metrics");
                report.add("g. alerts", String.format("detector heap after GC, %,d alerts firing", offline),
                        metrics.ok() ? ScrapedMetrics.heapUsedBytes(metrics.body()) / (double) (1 << 20) : -1, "MiB");
            }
            report.add("g. alerts", "detector peak RSS", detector.peakResidentBytes() / (double) (1 << 20), "MiB", "<= 1,024",
                    detector.peakResidentBytes() <= 1L << 30);
        }
    }

    private void preload() throws InterruptedException {
        Phase phase = new Phase(String.format("alert fleet %,d", devices), limit);
        AcknowledgedSends sends = new AcknowledgedSends("alert fleet");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Preload.bulkProducer(bootstrap), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < devices; i++) {
                byte[] key = String.format("alerted-%08d", i).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, key, i % OFFLINE_EVERY == 0 ? OFFLINE_BODY : ONLINE_BODY),
                        sends.callback());
                if ((i & 0x3FFF) == 0) {
                    phase.check();
                    sends.throwIfFailed();
                }
            }
            producer.flush();
        }
        sends.requireAll(devices);
        phase.done("%,d devices", devices);
    }

    /** Waits until the count has not moved for {@link #QUIET_MS}: no resend in progress, since one posts many alerts a second. */
    private void awaitQuiet(LongSupplier count) throws InterruptedException {
        Phase phase = new Phase("alerts: a quiet spell between resends", limit);
        long seen = count.getAsLong();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
            phase.check();
            Thread.sleep(50); // polling a counter, bounded by the phase's limit
            long now = count.getAsLong();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private void awaitAtLeast(String what, LongSupplier count, long wanted) throws InterruptedException {
        Phase phase = new Phase("alerts: " + what, limit);
        while (count.getAsLong() < wanted) {
            phase.check();
            phase.progress("%,d of %,d", count.getAsLong(), wanted);
            Thread.sleep(50); // polling a counter, bounded by the phase's limit
        }
    }
}
