package io.offlinedetector.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A crash with a standby in place: one instance is killed (SIGKILL: it does not leave the group, so
 * the group notices only when its session times out), and the survivor is asked, as clients would,
 * for a sample of the dead instance's devices until each answers, read by the survivor itself.
 */
final class Failover {

    /**
     * @param firstSeconds    from the kill to the first sampled device answering again
     * @param allSeconds      from the kill to every sampled device answering again
     * @param completeSeconds from the kill to {@code /stats} counting the whole fleet again, not partial
     */
    record Result(double firstSeconds, double allSeconds, double completeSeconds, int sampled) {}

    private static final long POLL_MILLIS = 100;

    private Failover() {}

    static Result run(DetectorJvm killed, String survivor, List<String> sample, long fleetSize, Duration limit) throws InterruptedException {
        Phase phase = new Phase("failover", limit);
        List<String> pending = new ArrayList<>(sample);
        Map<Integer, Integer> statuses = new TreeMap<>();
        double first = -1;
        double all = -1;
        try (HttpConnection connection = new HttpConnection(survivor, Fleet.REQUEST_TIMEOUT)) {
            killed.kill();
            long start = System.nanoTime();
            while (true) {
                phase.check();
                statuses.clear();
                for (var it = pending.iterator(); it.hasNext(); ) {
                    HttpConnection.Answer answer = connection.get("/devices/" + it.next());
                    statuses.merge(answer.status(), 1, Integer::sum);
                    if (answer.ok() && survivor.equals(answer.servedBy())) {
                        it.remove();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (first < 0 && pending.size() < sample.size()) {
                    first = seconds;
                }
                if (all < 0 && pending.isEmpty()) {
                    all = seconds;
                }
                if (all >= 0) {
                    Fleet.Stats stats = Fleet.stats(connection);
                    if (!stats.partial() && stats.total() == fleetSize) {
                        phase.done("first device after %.2fs, all %d sampled after %.2fs, /stats complete after %.2fs",
                                first, sample.size(), all, seconds);
                        return new Result(first, all, seconds, sample.size());
                    }
                }
                phase.progress("%.1fs after the kill: %d of %d sampled devices answer; last round's statuses %s (-1: no answer)",
                        seconds, sample.size() - pending.size(), sample.size(), statuses);
                Thread.sleep(POLL_MILLIS); // asking again at a fixed pace: the measurement's resolution
            }
        }
    }
}
