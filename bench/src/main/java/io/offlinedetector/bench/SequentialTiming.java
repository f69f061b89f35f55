package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One client asking the same question over and over, each answer timed: for answers that fan out, such as {@code /stats}.
 * Bounded in count and in time, so that a slow answer is measured on fewer requests rather than holding the bench.
 */
final class SequentialTiming {

    /** Enough for the JIT: the first timing runs on freshly started instances. */
    private static final int WARM_UP = 200;
    private static final long WARM_UP_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long MEASURED_NANOS = Duration.ofSeconds(30).toNanos();

    /**
     * @param latencies nanoseconds of each answer after the warm-up
     * @param bytes     the body of the last answer
     */
    record Result(Percentiles latencies, long bytes) {}

    private SequentialTiming() {}

    /** @return each of at most {@code requests} answers after a warm-up, as many as fit in half a minute */
    static Result run(String name, String url, String path, int requests, Duration limit) {
        Phase phase = new Phase(name, limit);
        long[] samples = new long[requests];
        int measured = 0;
        long bytes = 0;
        try (HttpConnection connection = new HttpConnection(url, Fleet.REQUEST_TIMEOUT)) {
            long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
            for (int r = 0; r < WARM_UP && System.nanoTime() - warmUpEnd < 0; r++) {
                phase.check();
                answer(connection, path);
            }
            long end = System.nanoTime() + MEASURED_NANOS;
            while (measured < requests && (measured == 0 || System.nanoTime() - end < 0)) {
                phase.check();
                long sent = System.nanoTime();
                HttpConnection.Answer answer = answer(connection, path);
                samples[measured++] = System.nanoTime() - sent;
                bytes = answer.body().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        Percentiles percentiles = Percentiles.of(java.util.Arrays.copyOf(samples, measured));
        phase.done("%d requests, p50 %.2f ms, p99 %.2f ms, %,d bytes", measured, percentiles.p50() / 1e6, percentiles.p99() / 1e6, bytes);
        return new Result(percentiles, bytes);
    }

    private static HttpConnection.Answer answer(HttpConnection connection, String path) {
        HttpConnection.Answer answer = connection.get(path);
        if (!answer.ok()) {
            throw new IllegalStateException("GET " + path + ": " + answer.status() + " " + answer.body());
        }
        return answer;
    }
}
