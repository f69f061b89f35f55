package io.offlinedetector.alerts;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.topology.DeviceChangeListener;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@code DeviceOffline} alerts of this instance's active partitions to Alertmanager
 * (docs/alerting.md): at once when a device goes OFFLINE or comes back, and, for every device still
 * OFFLINE, again every resend interval and whenever a partition becomes active here (at start-up,
 * after a restart or a rebalance), read from the stores.
 *
 * <p>The stream threads only leave a note (device id and partition) in a bounded queue; this
 * sender's own thread reads what is true from the stores, batches the alerts and hands them to
 * each Alertmanager's {@link AlertmanagerTarget}. A note is never trusted as such: its transaction
 * may have been aborted. When notes come faster than they are sent (a storm), the queue drops the
 * newest and the sender makes a full pass instead; what a dropped resolve would have ended ends at
 * its alert's {@code endsAt}, four resend intervals later.
 */
public final class AlertSender implements DeviceChangeListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    /** Alerts per post. */
    static final int BATCH = 500;
    /** Notes waiting for the sender; beyond, a full pass stands in for them. */
    static final int NOTES = 65_536;
    /** A firing alert ends by itself this many resend intervals after it was last sent (as Prometheus does). */
    static final int RESENDS_BEFORE_EXPIRY = 4;
    private static final long IDLE_WAIT_MS = 200;
    private static final long PARTITION_CHECK_MS = 1_000;

    /** A device to tell Alertmanager about; {@code removed} is its resolve when it was removed. */
    private record Note(String deviceId, int partition, DeviceAlert removed) {}

    private final List<AlertmanagerTarget> targets;
    private final long resendMs;
    private final String instanceUrl;
    private final LongSupplier clock;
    private final ArrayBlockingQueue<Note> notes = new ArrayBlockingQueue<>(NOTES);
    private final AtomicBoolean notesDropped = new AtomicBoolean();
    private final Thread thread;
    private volatile OfflineDevices devices;
    private volatile boolean closed;

    // Touched by the sender's thread only.
    private Set<Integer> active = Set.of();
    private final ArrayDeque<Integer> passes = new ArrayDeque<>();
    /** The last device id the current pass (of {@code passes.peek()}) has sent, or null at its start. */
    private String passCursor;
    private long nextResendAt;
    private long nextPartitionCheckAt;

    AlertSender(AlertSettings settings, String instanceUrl, Backoff backoff, LongSupplier clock) {
        this.targets = settings.alertmanagers().stream().map(url -> new AlertmanagerTarget(url, backoff)).toList();
        this.resendMs = settings.resendInterval().toMillis();
        this.instanceUrl = instanceUrl;
        this.clock = clock;
        this.thread = new Thread(this::run, "alert-sender");
        this.thread.setDaemon(true);
    }

    /** A sender to the configured Alertmanagers; it takes notes at once and sends once {@link #start started}. */
    public static AlertSender to(AlertSettings settings, URI instanceUrl) {
        return new AlertSender(settings, instanceUrl.toString(), Backoff.DEFAULT, System::currentTimeMillis);
    }

    /** Starts sending, reading the devices of this instance's active partitions from its stores. */
    public void start(KafkaStreams streams, FlappingPolicy flapping) {
        start(new StreamsOfflineDevices(streams, flapping));
    }

    void start(OfflineDevices source) {
        this.devices = source;
        this.nextResendAt = clock.getAsLong() + resendMs;
        thread.start();
    }

    @Override
    public void statusChanged(StatusChange change, int partition) {
        if (change.previousStatus() != Status.UNKNOWN) { // a device appearing has no alert to fire or end
            note(new Note(change.deviceId(), partition, null));
        }
    }

    @Override
    public void offlineLabelsGone(String deviceId, int partition, DeviceState whileOffline, boolean flapping) {
        note(new Note(deviceId, partition, DeviceAlert.resolved(deviceId, whileOffline, flapping, clock.getAsLong())));
    }

    private void note(Note note) {
        if (!notes.offer(note)) {
            notesDropped.set(true);
        }
    }

    public List<URI> alertmanagers() {
        return targets.stream().map(AlertmanagerTarget::url).toList();
    }

    /** Alerts (firing and resolved) Alertmanager {@code url} took. */
    public long sentAlerts(URI url) {
        return target(url).sentAlerts();
    }

    /** Posts to {@code url} that failed (each retry counts). */
    public long failedPosts(URI url) {
        return target(url).failedPosts();
    }

    /** Alerts never posted to {@code url}: pushed out of its queue while it failed, or rejected by it. */
    public long droppedAlerts(URI url) {
        return target(url).droppedAlerts();
    }

    private AlertmanagerTarget target(URI url) {
        return targets.stream().filter(target -> target.url().equals(url)).findFirst().orElseThrow();
    }

    private void run() {
        while (!closed) {
            try {
                step();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A store that closed under a read, say: the next step reads afresh.
                LOG.warn("Sending alerts failed; going on", e);
            }
        }
    }

    /** One batch: the notes first, so that a long pass never holds up a new alert, then the pass in progress. */
    private void step() throws InterruptedException {
        long now = clock.getAsLong();
        planPasses(now);
        Map<String, DeviceAlert> batch = new LinkedHashMap<>();
        Note first = passes.isEmpty() ? notes.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS) : notes.poll();
        if (first != null) {
            List<Note> taken = new ArrayList<>(BATCH);
            taken.add(first);
            notes.drainTo(taken, BATCH - 1);
            for (Note note : taken) {
                DeviceAlert alert = alertFor(note, now);
                if (alert != null) {
                    batch.put(alert.deviceId(), alert);
                }
            }
        }
        continuePasses(batch, now);
        if (!batch.isEmpty()) {
            send(new ArrayList<>(batch.values()), now);
        }
    }

    /** New partitions get a pass; every partition gets one each resend interval, and after notes were dropped. */
    private void planPasses(long now) {
        if (now >= nextPartitionCheckAt) {
            Set<Integer> nowActive = devices.activePartitions();
            for (int partition : nowActive) {
                if (!active.contains(partition)) {
                    schedulePass(partition);
                }
            }
            active = nowActive;
            nextPartitionCheckAt = now + PARTITION_CHECK_MS;
        }
        if (notesDropped.getAndSet(false) || now >= nextResendAt) {
            active.forEach(this::schedulePass);
            nextResendAt = now + resendMs;
        }
    }

    private void schedulePass(int partition) {
        if (!passes.contains(partition)) {
            passes.add(partition);
        }
    }

    private DeviceAlert alertFor(Note note, long now) {
        if (note.removed() != null) {
            return note.removed();
        }
        try {
            return devices.alert(note.deviceId(), note.partition(), now);
        } catch (InvalidStateStoreException e) {
            return null; // the partition moved: its new owner's pass sends what is OFFLINE
        }
    }

    /** Fills the batch with the OFFLINE devices of the partitions due for a pass, in id order. */
    private void continuePasses(Map<String, DeviceAlert> batch, long now) {
        while (batch.size() < BATCH && !passes.isEmpty()) {
            int partition = passes.peek();
            int wanted = BATCH - batch.size();
            try {
                List<String> ids = devices.offlineIds(partition, passCursor, wanted);
                for (String id : ids) {
                    DeviceAlert alert = devices.alert(id, partition, now);
                    if (alert != null && alert.isFiring()) {
                        batch.put(id, alert);
                    }
                }
                if (ids.size() < wanted) {
                    endPass();
                } else {
                    passCursor = ids.get(ids.size() - 1);
                }
            } catch (InvalidStateStoreException e) {
                // Moving away, or still restoring: if it is active here later, it counts as new and gets a pass then.
                endPass();
                Set<Integer> without = new TreeSet<>(active);
                without.remove(partition);
                active = without;
            }
        }
    }

    private void endPass() {
        passes.poll();
        passCursor = null;
    }

    private void send(List<DeviceAlert> alerts, long now) throws InterruptedException {
        AlertmanagerTarget.Batch batch = new AlertmanagerTarget.Batch(
                AlertJson.write(alerts, now + RESENDS_BEFORE_EXPIRY * resendMs, instanceUrl), alerts.size());
        for (AlertmanagerTarget target : targets) {
            target.send(batch);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        targets.forEach(AlertmanagerTarget::close);
    }
}
