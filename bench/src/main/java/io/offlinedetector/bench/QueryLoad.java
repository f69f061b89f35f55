package io.offlinedetector.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients asking for devices, each on its own kept-alive connections, each request
 * timed to the last byte of the answer. Bounded in count (requests per client) and in time (what
 * was measured by then is reported).
 *
 * <p>Without a pause, each client sends its next request as soon as it has an answer: the clients
 * then keep the instances saturated, and the latency is mostly the queue (50 clients / throughput).
 * With a pause, each client sends on a fixed schedule, and a request is timed from when it was due,
 * so an instance that falls behind is charged for the wait (no coordinated omission).
 */
final class QueryLoad {

    /** One request: ask {@code instance} for {@code deviceId}, which {@code owner} should read. */
    record Target(String instance, String deviceId, String owner) {}

    /** What each request asks: the target's device, or the liveness of the instance it is sent to (the floor of any answer). */
    enum Route {
        DEVICE("GET /devices/{id}"),
        HEALTH("GET /health");

        private final String name;

        Route(String name) {
            this.name = name;
        }

        String path(Target target) {
            return this == DEVICE ? "/devices/" + target.deviceId() : "/health";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The warm-up ends after this long even if its requests have not all been answered. */
    private static final long WARM_UP_NANOS = Duration.ofSeconds(2).toNanos();

    /**
     * @param latencies  nanoseconds of each request after the warm-up until its answer, failed
     *     ones included (a 502 after the peer timed out is a wait the client had); {@code null}
     *     when none was answered in time
     * @param errors     requests without a 200
     * @param misrouted  device answers read by another instance than the owner ({@code X-Served-By})
     */
    record Result(Percentiles latencies, double perSecond, long errors, long misrouted) {}

    private QueryLoad() {}

    /** @param interval each client's time between requests, or zero for none */
    static Result run(String name, List<Target> targets, Route route, int clients, int requestsPerClient, int warmUpPerClient, Duration interval,
            Duration limit) throws InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(name + ": no devices to ask for");
        }
        Phase phase = new Phase(name, limit);
        long deadline = System.nanoTime() + limit.toNanos();
        long[][] latencies = new long[clients][];
        long[] firstMeasured = new long[clients];
        long[] lastMeasured = new long[clients];
        AtomicLong errors = new AtomicLong();
        AtomicLong misrouted = new AtomicLong();
        AtomicLong done = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                Map<String, HttpConnection> connections = new HashMap<>();
                long[] mine = new long[requestsPerClient];
                int measured = 0;
                try {
                    start.await();
                    long schedule = System.nanoTime() + (interval.toNanos() * client) / clients; // clients staggered over one interval
                    long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
                    int warmUp = warmUpPerClient;
                    for (int r = 0; r < warmUp + requestsPerClient && System.nanoTime() - deadline < 0; r++) {
                        // spread over the targets, each client starting elsewhere
                        Target target = targets.get((int) ((client * 7919L + r * (long) clients) % targets.size()));
                        HttpConnection connection = connections.computeIfAbsent(target.instance(), url -> new HttpConnection(url, Fleet.REQUEST_TIMEOUT));
                        String path = route.path(target);
                        long sent = System.nanoTime();
                        if (!interval.isZero()) {
                            schedule += interval.toNanos();
                            long wait = schedule - sent;
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the client, not synchronisation
                            }
                            sent = schedule;
                        }
                        HttpConnection.Answer answer = connection.get(path);
                        long took = System.nanoTime() - sent;
                        if (r < warmUp) {
                            if (System.nanoTime() - warmUpEnd > 0) {
                                warmUp = r + 1; // a slow warm-up ends early; the count of measured requests stays
                            }
                            continue;
                        }
                        if (measured == 0) {
                            firstMeasured[client] = sent;
                        }
                        lastMeasured[client] = sent + took;
                        done.incrementAndGet();
                        mine[measured++] = took;
                        if (!answer.ok()) {
                            errors.incrementAndGet();
                        } else if (route == Route.DEVICE && !target.owner().equals(answer.servedBy())) {
                            misrouted.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    connections.values().forEach(HttpConnection::close);
                    latencies[client] = Arrays.copyOf(mine, measured);
                }
            }, "bench-query-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(500);
                phase.progress("%,d of %,d requests, %,d errors", done.get(), (long) clients * requestsPerClient, errors.get());
            }
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray();
        if (all.length == 0) {
            phase.done("no request answered in time");
            return new Result(null, 0, errors.get(), misrouted.get());
        }
        long from = Arrays.stream(firstMeasured).filter(t -> t != 0).min().orElse(0);
        long to = Arrays.stream(lastMeasured).max().orElse(from);
        double perSecond = done.get() / Math.max(1e-9, (to - from) / 1e9);
        Percentiles percentiles = Percentiles.of(all);
        phase.done("%,d answered, %,d errors, %,d misrouted, p50 %.2f ms, p99 %.2f ms, %,.0f requests/s", all.length, errors.get(),
                misrouted.get(), percentiles.p50() / 1e6, percentiles.p99() / 1e6, perSecond);
        return new Result(percentiles, perSecond, errors.get(), misrouted.get());
    }
}
