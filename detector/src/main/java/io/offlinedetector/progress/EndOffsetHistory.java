package io.offlinedetector.progress;

import java.util.Arrays;

/**
 * One partition's end offset over wall-clock time, as runs of (end offset, last time it was seen).
 * The end offset only grows, so "the latest time the end was at most {@code n}" is a binary
 * search. Written by the monitor thread, read by the stream threads.
 */
final class EndOffsetHistory {

    static final int MAX_RUNS = 4096;

    private long[] ends = new long[64];
    private long[] lastSeen = new long[64];
    private int size;

    synchronized void observe(long endOffset, long time) {
        if (size > 0 && ends[size - 1] >= endOffset) {
            lastSeen[size - 1] = Math.max(lastSeen[size - 1], time); // unchanged end (it never shrinks)
            return;
        }
        if (size == MAX_RUNS) {
            // Forget the older half: very old offsets then map to "unknown", and stream time stands in.
            int keep = MAX_RUNS / 2;
            System.arraycopy(ends, size - keep, ends, 0, keep);
            System.arraycopy(lastSeen, size - keep, lastSeen, 0, keep);
            size = keep;
        } else if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
            lastSeen = Arrays.copyOf(lastSeen, size * 2);
        }
        ends[size] = endOffset;
        lastSeen[size] = time;
        size++;
    }

    /** @return the latest time the end offset was at most {@code offset}, or -1 when never seen so */
    synchronized long latestTimeWithEndAtMost(long offset) {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (ends[mid] <= offset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 ? -1 : lastSeen[found];
    }
}
