package io.offlinedetector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.query.FleetStats;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The live feed's fan-out, with in-memory connections instead of browsers. */
class LiveEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LiveEvents.ClientSettings SMALL =
            new LiveEvents.ClientSettings(3, 4, Duration.ofMillis(200), Duration.ofMinutes(1));

    private final AtomicReference<FleetStats> stats = new AtomicReference<>(new FleetStats(3, 2, 1, List.of()));
    private LiveEvents events = new LiveEvents(stats::get, SMALL);

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void aClientGetsTheCountsThenTheTransitionsThatMatchItsFilter() {
        Connection offlineOnly = connect(new StatusFilter(Status.OFFLINE, null));

        events.publish(change("a", Status.ONLINE, 1));
        events.publish(change("b", Status.OFFLINE, 2));

        await().atMost(WAIT).until(() -> offlineOnly.text().contains("\"deviceId\":\"b\""));
        String text = offlineOnly.text();
        assertThat(text).contains("event: stats\ndata: {\"total\":3,\"online\":2,\"offline\":1}\n\n");
        assertThat(text).contains("event: transition\ndata: {\"deviceId\":\"b\",\"status\":\"OFFLINE\"");
        assertThat(text).doesNotContain("\"deviceId\":\"a\"");
    }

    @Test
    void theCountsAreSentAgainEverySecondWithAPartialAnswerSaidSo() {
        Connection client = connect(StatusFilter.ALL);
        stats.set(new FleetStats(4, 3, 1, List.of("http://127.0.0.1:18081")));

        await().atMost(WAIT).until(() -> client.text().contains("\"total\":4"));
        assertThat(client.text()).contains("{\"total\":4,\"online\":3,\"offline\":1,\"partial\":true,\"missing\":[\"http://127.0.0.1:18081\"]}");
    }

    @Test
    @DisplayName("a new client first gets the latest matching events, so that the page is not empty")
    void aNewClientFirstGetsTheLatestMatchingEvents() {
        events.publish(change("cam-1", Status.OFFLINE, 1));
        events.publish(change("thermo-1", Status.OFFLINE, 1));
        events.publish(change("cam-2", Status.ONLINE, 4));

        Connection cameras = connect(new StatusFilter(null, "cam-*"));

        await().atMost(WAIT).until(() -> cameras.text().contains("cam-2"));
        assertThat(cameras.text()).contains("cam-1").doesNotContain("thermo-1");
        assertThat(cameras.text().indexOf("cam-1")).isLessThan(cameras.text().indexOf("cam-2"));
    }

    @Test
    @DisplayName("a client that reads too slowly loses events, is told how many, and never holds up the feed")
    void aSlowClientLosesEventsAndIsToldHowMany() throws Exception {
        BlockingConnection stuck = new BlockingConnection();
        events.admit();
        events.follow(StatusFilter.ALL, stuck);
        assertThat(stuck.writing.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue(); // the writer is stuck in its first write

        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            events.publish(change("d-" + i, Status.ONLINE, 1));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("publishing never waits").isLessThan(Duration.ofSeconds(2));
        assertThat(events.droppedEvents()).isEqualTo(100 - SMALL.queueCapacity());

        stuck.release.countDown();
        await().atMost(WAIT).until(() -> stuck.text().contains("event: dropped\ndata: {\"count\":96}"));
        await().atMost(WAIT).until(() -> stuck.text().contains("\"deviceId\":\"d-3\""));
    }

    @Test
    void onceFullMoreClientsAreRefusedWith503() {
        for (int i = 0; i < SMALL.maxClients(); i++) {
            connect(StatusFilter.ALL);
        }
        await().atMost(WAIT).until(() -> events.clients() == SMALL.maxClients());

        assertThatThrownBy(() -> events.admit())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void anIdleConnectionGetsKeepAliveComments() {
        events.close();
        // counts that cannot be read are left out, not sent broken
        events = new LiveEvents(() -> {
            throw new IllegalStateException("no stores yet");
        }, SMALL);
        Connection idle = connect(StatusFilter.ALL);

        await().atMost(WAIT).until(() -> idle.text().contains(": keep-alive\n\n"));
        assertThat(idle.text()).doesNotContain("event: stats");
    }

    @Test
    void closingEndsEveryStreamAndRefusesNewClients() {
        Connection client = connect(StatusFilter.ALL);
        await().atMost(WAIT).until(() -> events.clients() == 1);

        events.close();

        assertThat(client.closed).isTrue();
        assertThat(events.clients()).isZero();
        assertThatThrownBy(() -> events.admit()).isInstanceOf(ApiException.class);
    }

    /** What GET /events does: admit the client, then follow the feed on its connection. */
    private Connection connect(StatusFilter filter) {
        Connection connection = new Connection();
        events.admit();
        events.follow(filter, connection);
        return connection;
    }

    private static StatusChange change(String device, Status status, long sequence) {
        return new StatusChange(device, status, status == Status.ONLINE ? Status.UNKNOWN : Status.ONLINE,
                1_000, 1_400, 1_000, 60_000, null, null, status == Status.ONLINE ? Reason.FIRST_HEARTBEAT : Reason.TIMEOUT, sequence, false);
    }

    /** A browser that reads everything at once: the stream as Server-Sent Events frame it. */
    private static class Connection implements EventSink {
        private final StringBuilder text = new StringBuilder();
        volatile boolean closed;

        @Override
        public void event(String name, String data) {
            append("event: " + name + "\ndata: " + data + "\n\n");
        }

        @Override
        public void comment(String comment) {
            append(": " + comment + "\n\n");
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized void append(String frame) {
            text.append(frame);
        }

        synchronized String text() {
            return text.toString();
        }
    }

    /** A browser that stops reading: the first write blocks until released. */
    private static final class BlockingConnection extends Connection {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void event(String name, String data) {
            writing.countDown();
            try {
                if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            super.event(name, data);
        }
    }
}
