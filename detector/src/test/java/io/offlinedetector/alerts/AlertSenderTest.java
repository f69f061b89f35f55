package io.offlinedetector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender between fake stores and fake Alertmanagers on loopback, on a clock the test moves. */
class AlertSenderTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final Duration RESEND = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Backoff FAST = new Backoff(10, 50);

    private final AtomicLong clock = new AtomicLong(T0);
    private final FakeDevices devices = new FakeDevices();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FakeAlertmanager alertmanager() throws Exception {
        FakeAlertmanager alertmanager = new FakeAlertmanager();
        closing.add(alertmanager);
        return alertmanager;
    }

    private AlertSender start(FakeAlertmanager... alertmanagers) {
        List<URI> urls = java.util.Arrays.stream(alertmanagers).map(FakeAlertmanager::url).toList();
        AlertSender sender = new AlertSender(new AlertSettings(urls, RESEND), "http://127.0.0.1:8080", FAST, clock::get);
        closing.add(0, sender);
        sender.start(devices);
        return sender;
    }

    private static StatusChange change(String deviceId, Status from, Status to) {
        return new StatusChange(deviceId, to, from, T0, T0, T0, 1_000, null, null,
                from == Status.UNKNOWN ? Reason.FIRST_HEARTBEAT : to == Status.ONLINE ? Reason.HEARTBEAT_RESUMED : Reason.TIMEOUT, 2, false);
    }

    @Test
    void aDeviceThatGoesOfflineIsSentAtOnceAndOneThatAppearsIsNot() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        devices.activate(0);
        AlertSender sender = start(alertmanager);
        await().atMost(WAIT).until(() -> devices.offlineReads.get() > 0); // the first pass, over nothing

        devices.goOffline(0, "new-and-offline");
        sender.statusChanged(change("appearing", Status.UNKNOWN, Status.ONLINE), 0);
        sender.statusChanged(change("new-and-offline", Status.ONLINE, Status.OFFLINE), 0);

        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("new-and-offline"));
        assertThat(alertmanager.alerts()).extracting(alert -> alert.path("labels").path("device").asText()).containsExactly("new-and-offline");
        assertThat(sender.sentAlerts(alertmanager.url())).isEqualTo(1);
    }

    @Test
    void aDeviceBackOnlineIsResolvedAndARemovedOneToo() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        devices.activate(0);
        AlertSender sender = start(alertmanager);

        devices.comeBack(0, "back", T0 - 5_000);
        sender.statusChanged(change("back", Status.OFFLINE, Status.ONLINE), 0);
        sender.offlineLabelsGone("removed", 0, new DeviceState(Status.OFFLINE, T0 - 60_000, T0 - 30_000, 30_000, "pump", "site-1", 2,
                DeviceState.NO_TIMER, DeviceState.NO_REQUEST), true);

        await().atMost(WAIT).until(() -> alertmanager.devices(false, clock.get()).containsAll(List.of("back", "removed")));
        var removed = alertmanager.alerts().stream().filter(a -> a.path("labels").path("device").asText().equals("removed")).findFirst().orElseThrow();
        assertThat(removed.path("labels").path("flapping").asText()).isEqualTo("true");
        assertThat(removed.path("labels").path("group").asText()).isEqualTo("site-1");
        assertThat(alertmanager.devices(true, clock.get())).isEmpty();
    }

    @Test
    void everyOfflineDeviceIsSentInBatchesWhenItsPartitionArrivesAndAgainEachResendInterval() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        for (int i = 0; i < 1_200; i++) {
            devices.goOffline(i % 2, String.format("device-%04d", i));
        }
        devices.activate(0, 1);
        start(alertmanager);

        await().atMost(WAIT).until(() -> alertmanager.alerts().size() == 1_200);
        assertThat(alertmanager.posts()).allSatisfy(post -> assertThat(post).hasSizeLessThanOrEqualTo(AlertSender.BATCH));
        assertThat(new TreeSet<>(alertmanager.devices(true, clock.get()))).hasSize(1_200);

        clock.addAndGet(RESEND.toMillis());
        await().atMost(WAIT).until(() -> alertmanager.alerts().size() == 2_400);
        assertThat(alertmanager.alerts().get(2_399).path("endsAt").asText())
                .as("ends four resends after it was sent, unless sent again")
                .isEqualTo(java.time.Instant.ofEpochMilli(T0 + RESEND.toMillis() * 5).toString());
    }

    @Test
    void aPartitionThatMovesHereIsSentAtOnceAndOneThatLeftIsNoLongerSent() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        devices.goOffline(0, "on-zero");
        devices.goOffline(1, "on-one");
        devices.activate(0);
        start(alertmanager);
        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("on-zero"));

        devices.activate(1); // 0 went to another instance, 1 came here
        clock.addAndGet(1_001); // the next look at the assignment
        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("on-one"));

        clock.addAndGet(RESEND.toMillis());
        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).size() == 3);
        assertThat(alertmanager.devices(true, clock.get())).containsExactly("on-zero", "on-one", "on-one");
    }

    @Test
    void aRestoringPartitionIsSentOnceItCanBeRead() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        devices.goOffline(0, "restored");
        devices.activate(0);
        devices.restoring.add(0);
        start(alertmanager);
        await().atMost(WAIT).until(() -> devices.refusedReads.get() > 0);

        devices.restoring.clear();
        clock.addAndGet(1_001);
        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("restored"));
    }

    @Test
    void anAlertmanagerThatIsDownIsRetriedWithBackoffAndCounted() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        alertmanager.answer(503);
        devices.activate(0);
        devices.goOffline(0, "waiting");
        AlertSender sender = start(alertmanager);

        await().atMost(WAIT).until(() -> sender.failedPosts(alertmanager.url()) >= 3);
        assertThat(alertmanager.alerts()).isEmpty();
        alertmanager.answer(200);

        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("waiting"));
        assertThat(sender.sentAlerts(alertmanager.url())).isEqualTo(1);
        assertThat(sender.droppedAlerts(alertmanager.url())).isZero();
    }

    @Test
    void bothOfAnHaPairGetEveryAlertAndOneDownHoldsUpNeitherTheOtherNorTheNotes() throws Exception {
        FakeAlertmanager up = alertmanager();
        FakeAlertmanager down = alertmanager();
        down.answer(503);
        devices.activate(0);
        AlertSender sender = start(up, down);

        storm(sender, 0, 3_000);

        await().atMost(WAIT).until(() -> new TreeSet<>(up.devices(true, clock.get())).size() == 3_000);
        assertThat(down.alerts()).isEmpty();
        // Batches for the down one wait in a queue of a few: more push out the oldest, so memory stays bounded.
        AtomicLong next = new AtomicLong(3_000);
        await().atMost(WAIT).until(() -> {
            storm(sender, (int) next.getAndAdd(AlertSender.BATCH), AlertSender.BATCH);
            return sender.droppedAlerts(down.url()) > 0;
        });
        assertThat(next.get()).isLessThanOrEqualTo(3_000 + AlertSender.BATCH * (AlertmanagerTarget.QUEUED_BATCHES + 10L));
    }

    private void storm(AlertSender sender, int from, int devicesGoingOffline) {
        for (int i = from; i < from + devicesGoingOffline; i++) {
            String id = "storm-" + i;
            devices.goOffline(0, id);
            sender.statusChanged(change(id, Status.ONLINE, Status.OFFLINE), 0);
        }
    }

    @Test
    void aRejectedBatchIsDroppedAndCountedNotRetried() throws Exception {
        FakeAlertmanager alertmanager = alertmanager();
        alertmanager.answer(400);
        devices.activate(0);
        devices.goOffline(0, "rejected");
        AlertSender sender = start(alertmanager);

        await().atMost(WAIT).until(() -> sender.droppedAlerts(alertmanager.url()) == 1);
        assertThat(sender.failedPosts(alertmanager.url())).isEqualTo(1);
        alertmanager.answer(200);
        devices.goOffline(0, "next");
        sender.statusChanged(change("next", Status.ONLINE, Status.OFFLINE), 0);
        await().atMost(WAIT).until(() -> alertmanager.devices(true, clock.get()).contains("next"));
        assertThat(alertmanager.refusedPosts()).isEqualTo(1);
    }

    /** Stores in memory: per partition, devices with the alert the real stores would give. */
    private final class FakeDevices implements OfflineDevices {

        private final Map<Integer, TreeMap<String, DeviceAlert>> partitions = new ConcurrentHashMap<>();
        private volatile Set<Integer> active = Set.of();
        final Set<Integer> restoring = ConcurrentHashMap.newKeySet();
        final AtomicLong refusedReads = new AtomicLong();
        final AtomicLong offlineReads = new AtomicLong();

        void activate(Integer... partitionsHere) {
            active = Set.of(partitionsHere);
        }

        synchronized void goOffline(int partition, String deviceId) {
            partitions.computeIfAbsent(partition, p -> new TreeMap<>())
                    .put(deviceId, new DeviceAlert(deviceId, null, null, false, T0 - 61_000, T0 - 1_000, DeviceAlert.FIRING));
        }

        synchronized void comeBack(int partition, String deviceId, long offlineSince) {
            partitions.computeIfAbsent(partition, p -> new TreeMap<>())
                    .put(deviceId, new DeviceAlert(deviceId, null, null, false, T0, offlineSince, clock.get()));
        }

        @Override
        public Set<Integer> activePartitions() {
            return active;
        }

        @Override
        public synchronized DeviceAlert alert(String deviceId, int partition, long now) {
            return read(partition).get(deviceId);
        }

        @Override
        public synchronized List<String> offlineIds(int partition, String after, int max) {
            offlineReads.incrementAndGet();
            return read(partition).values().stream()
                    .filter(DeviceAlert::isFiring)
                    .map(DeviceAlert::deviceId)
                    .filter(id -> after == null || id.compareTo(after) > 0)
                    .limit(max)
                    .toList();
        }

        private TreeMap<String, DeviceAlert> read(int partition) {
            if (!active.contains(partition) || restoring.contains(partition)) {
                refusedReads.incrementAndGet();
                throw new InvalidStateStoreException("partition " + partition + " is not readable here");
            }
            return partitions.getOrDefault(partition, new TreeMap<>());
        }
    }
}
