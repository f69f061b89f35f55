package io.offlinedetector.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Alertmanager: batches wait in a small bounded queue and a thread of its own posts them, one at
 * a time, retrying a failed post with backoff until it goes through. So an Alertmanager that is
 * down or slow holds up neither detection nor the other Alertmanager of an HA pair.
 *
 * <p>While this Alertmanager fails, a new batch that finds the queue full pushes out the oldest:
 * memory stays bounded, and what is lost comes back by itself. Firing alerts are sent again at each
 * resend, and an alert whose resolve was lost ends at its own {@code endsAt}.
 */
final class AlertmanagerTarget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerTarget.class);
    static final int QUEUED_BATCHES = 8;
    /** How long a batch waits for room while this Alertmanager answers: a healthy one is given time. */
    private static final long ROOM_WAIT_MS = 5_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Alerts of one post, in Alertmanager's JSON. */
    record Batch(byte[] json, int alerts) {}

    private final URI url;
    private final URI endpoint;
    private final HttpClient http;
    private final Backoff backoff;
    private final ArrayBlockingQueue<Batch> queued = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final AtomicLong sentAlerts = new AtomicLong();
    private final AtomicLong failedPosts = new AtomicLong();
    private final AtomicLong droppedAlerts = new AtomicLong();
    private final Thread poster;
    private volatile boolean failing;
    private volatile boolean inHand;
    private volatile boolean closed;

    AlertmanagerTarget(URI url, Backoff backoff) {
        this.url = url;
        String base = url.toString().endsWith("/") ? url.toString() : url + "/";
        this.endpoint = URI.create(base + "api/v2/alerts");
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.poster = new Thread(this::post, "alertmanager-" + url.getHost() + "-" + url.getPort());
        this.poster.setDaemon(true);
        this.poster.start();
    }

    /** Queues a batch; waits for room only while this Alertmanager answers. */
    void send(Batch batch) throws InterruptedException {
        if (!failing && queued.offer(batch, ROOM_WAIT_MS, TimeUnit.MILLISECONDS)) {
            return;
        }
        while (!queued.offer(batch)) {
            Batch oldest = queued.poll();
            if (oldest != null) {
                droppedAlerts.addAndGet(oldest.alerts());
            }
        }
    }

    URI url() {
        return url;
    }

    long sentAlerts() {
        return sentAlerts.get();
    }

    long failedPosts() {
        return failedPosts.get();
    }

    long droppedAlerts() {
        return droppedAlerts.get();
    }

    /** Whether nothing waits to be posted (the batch in hand included). */
    boolean idle() {
        return queued.isEmpty() && !inHand;
    }

    private void post() {
        try {
            while (!closed) {
                Batch batch = queued.poll(1, TimeUnit.SECONDS);
                if (batch == null) {
                    continue;
                }
                inHand = true;
                int attempt = 0;
                while (!closed && !postOnce(batch)) {
                    failing = true;
                    failedPosts.incrementAndGet();
                    Thread.sleep(backoff.delayMs(attempt++)); // the retry's backoff, on this Alertmanager's own thread
                }
                inHand = false;
                if (attempt > 0) {
                    LOG.info("Alertmanager {} takes alerts again after {} failed posts", url, attempt);
                }
                failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the batch is done with: taken, or rejected for good */
    private boolean postOnce(Batch batch) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.json()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                sentAlerts.addAndGet(batch.alerts());
                return true;
            }
            if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
                // The same body would be refused again: a bug to report, not a reason to stop sending.
                failedPosts.incrementAndGet();
                droppedAlerts.addAndGet(batch.alerts());
                LOG.error("Alertmanager {} rejected {} alerts: HTTP {} {}", url, batch.alerts(), response.statusCode(), response.body());
                return true;
            }
            if (!failing) {
                LOG.warn("Alertmanager {} refused {} alerts: HTTP {} {}", url, batch.alerts(), response.statusCode(), response.body());
            }
        } catch (IOException e) {
            if (!failing) {
                LOG.warn("Alertmanager {} unreachable, retrying with backoff: {}", url, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        poster.interrupt();
        try {
            poster.join(REQUEST_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
