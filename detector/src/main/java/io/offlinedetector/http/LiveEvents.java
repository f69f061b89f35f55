package io.offlinedetector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.query.FleetStats;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed behind the dashboard, {@code GET /events}: Server-Sent Events for every connected
 * browser, fed by one reader of {@code device-status} through {@link #publish}.
 *
 * <pre>
 *   event: transition   data: a device-status event (docs/design.md, "Status events")
 *   event: stats        data: {"total","online","offline"} as GET /stats, once a second
 *   event: dropped      data: {"count":n}, events this browser missed because it read too slowly
 * </pre>
 *
 * A new client first gets the latest events that match its filter, so a page is not empty until
 * the next transition, and so a reconnecting page fills its gap (it drops the ones it already has
 * by device and sequence). The reader never waits for a browser: each client has a bounded queue
 * and its own writing thread; what does not fit in the queue is dropped and counted. The events go
 * out on Javalin's Server-Sent Events connections ({@link JavalinEventSink}).
 */
public final class LiveEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    /** Latest events kept for new and reconnecting clients. */
    static final int RECENT = 200;
    static final Duration STATS_EVERY = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Supplier<FleetStats> stats;
    private final ClientSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Object lock = new Object();
    private final List<FeedClient> clients = new ArrayList<>(); // guarded by lock
    private final ArrayDeque<Recent> recent = new ArrayDeque<>(); // guarded by lock
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger clientNumbers = new AtomicInteger();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    /** One Server-Sent Event; {@code data} is compact JSON. */
    record Frame(String event, String data) {}

    /**
     * An event kept for replay. Its frame is written when a client first needs it: with no
     * dashboard open (the usual case) the detector does not re-serialise every transition, which
     * took about 8 % of an instance's CPU while a million devices came online (JFR, bench fleet stage).
     */
    private static final class Recent {
        private final StatusChange change;
        private Frame frame; // guarded by lock

        Recent(StatusChange change) {
            this.change = change;
        }

        StatusChange change() {
            return change;
        }

        Frame frame() {
            if (frame == null) {
                frame = new Frame("transition", new String(StatusChangeJson.write(change), StandardCharsets.UTF_8));
            }
            return frame;
        }
    }

    /**
     * How many clients, and how each one's connection behaves; tests make them small and short.
     *
     * @param maxClients    each client costs a thread and a queue; beyond this many, more get 503
     * @param queueCapacity events waiting for one client at most
     * @param keepAlive     longest silence on a connection: a comment line then finds browsers that left
     * @param maxConnection longest connection; the browser then reconnects by itself
     */
    record ClientSettings(int maxClients, int queueCapacity, Duration keepAlive, Duration maxConnection) {
        static final ClientSettings DEFAULT = new ClientSettings(50, 2_000, Duration.ofSeconds(15), Duration.ofHours(1));
    }

    /** @param stats the fleet's counts, read once a second while anyone watches */
    public LiveEvents(Supplier<FleetStats> stats) {
        this(stats, ClientSettings.DEFAULT);
    }

    LiveEvents(Supplier<FleetStats> stats, ClientSettings settings) {
        this.stats = stats;
        this.settings = settings;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-stats");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::sendStats, STATS_EVERY.toMillis(), STATS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Before a client's stream starts, while its answer can still be an error.
     *
     * @throws ApiException 503 while the feed is closed or has as many clients as it takes
     */
    void admit() {
        synchronized (lock) {
            if (closed) {
                throw ApiException.unavailable("the live feed is stopping", 5);
            }
            if (clients.size() >= settings.maxClients()) {
                throw ApiException.unavailable("the live feed has " + settings.maxClients() + " clients already", 30);
            }
        }
    }

    /** Called by the one reader of {@code device-status}, for every event in order. */
    public void publish(StatusChange change) {
        Recent event = new Recent(change);
        synchronized (lock) {
            recent.addLast(event);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
            for (FeedClient client : clients) {
                if (client.filter().matches(change) && !client.offer(event.frame())) {
                    dropped.increment();
                }
            }
        }
    }

    /** Browsers connected now. */
    public int clients() {
        synchronized (lock) {
            return clients.size();
        }
    }

    /** Events not sent to a browser because it read too slowly, since start. */
    public long droppedEvents() {
        return dropped.sum();
    }

    /** {@code GET /events}: streams the events passing the filter to the client, from its own thread, until it leaves. */
    void follow(StatusFilter filter, EventSink sink) {
        FeedClient client = new FeedClient(clientNumbers.incrementAndGet(), filter, sink, settings, this::disconnected);
        synchronized (lock) {
            if (closed) {
                client.close();
                return;
            }
            clients.add(client);
            // Under the lock: nothing published between the replay and the first live event is lost or doubled.
            for (Recent event : recent) {
                if (filter.matches(event.change())) {
                    client.offer(event.frame());
                }
            }
        }
        Frame counts = statsFrame();
        if (counts != null) {
            client.offerStats(counts);
        }
        client.start();
        LOG.debug("Live feed client {} connected ({})", client.number(), filter);
    }

    private void disconnected(FeedClient client) {
        synchronized (lock) {
            clients.remove(client);
        }
        LOG.debug("Live feed client {} disconnected", client.number());
    }

    private void sendStats() {
        List<FeedClient> now;
        synchronized (lock) {
            if (clients.isEmpty()) {
                return;
            }
            now = List.copyOf(clients);
        }
        Frame counts = statsFrame();
        if (counts != null) {
            now.forEach(client -> client.offerStats(counts));
        }
    }

    /** The counts as {@code GET /stats} has them, or {@code null} when they cannot be read right now. */
    private Frame statsFrame() {
        try {
            FleetStats fleet = stats.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total", fleet.total());
            body.put("online", fleet.online());
            body.put("offline", fleet.offline());
            if (!fleet.missing().isEmpty()) {
                body.put("partial", true);
                body.put("missing", fleet.missing());
            }
            return new Frame("stats", json.writeValueAsString(body));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debug("Fleet counts for the live feed could not be read", e);
            return null;
        }
    }

    /** Ends every client's stream, so that browsers reconnect elsewhere or later. */
    @Override
    public void close() {
        List<FeedClient> open;
        synchronized (lock) {
            closed = true;
            open = List.copyOf(clients);
        }
        ticker.shutdownNow();
        open.forEach(FeedClient::close);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (FeedClient client : open) {
            client.awaitClosed(Math.max(0, deadline - System.nanoTime()));
        }
    }
}
