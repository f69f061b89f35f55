package io.offlinedetector.topology;

import java.util.Arrays;

/**
 * How far, in record time, a task has read its partition: the median timestamp of the last
 * {@value #WINDOW} records. Kafka Streams' stream time is the maximum timestamp seen, so one
 * producer with its clock ahead would carry it, and with it the detector's clock, past heartbeats
 * still unread in a backlog; a median ignores such a minority.
 */
final class ReadTimeTracker {

    static final int WINDOW = 101;

    private final long[] recent = new long[WINDOW];
    private int count;
    private int next;

    void record(long timestamp) {
        recent[next] = timestamp;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    /** @return the median of the recent timestamps, or -1 before the first record */
    long median() {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
