package io.offlinedetector.bench;

import java.time.Duration;

/** One client asking the same question over and over, each answer timed: for answers that fan out, such as {@code /stats}. */
final class SequentialTiming {

    /** Enough for the JIT: the first timing runs on freshly started instances. */
    private static final int WARM_UP = 200;

    private SequentialTiming() {}

    /** @return nanoseconds of each of {@code requests} answers after a warm-up */
    static Percentiles run(String name, String url, String path, int requests, Duration limit) {
        Phase phase = new Phase(name, limit);
        long[] samples = new long[requests];
        try (HttpConnection connection = new HttpConnection(url, Fleet.REQUEST_TIMEOUT)) {
            for (int r = -WARM_UP; r < requests; r++) {
                phase.check();
                long sent = System.nanoTime();
                HttpConnection.Answer answer = connection.get(path);
                long took = System.nanoTime() - sent;
                if (!answer.ok()) {
                    throw new IllegalStateException("GET " + path + ": " + answer.status() + " " + answer.body());
                }
                if (r >= 0) {
                    samples[r] = took;
                }
            }
        }
        Percentiles percentiles = Percentiles.of(samples);
        phase.done("p50 %.2f ms, p99 %.2f ms", percentiles.p50() / 1e6, percentiles.p99() / 1e6);
        return percentiles;
    }
}
