package io.offlinedetector.topology;

/**
 * What is known about how far the detector's input has been read, from outside the stream
 * threads (the broker's end offsets over time). Implementations are thread-safe.
 */
public interface InputProgress {

    /** No knowledge: tests and tools that drive the topology with their own clock. */
    InputProgress ASSUME_CAUGHT_UP = new InputProgress() {
        @Override
        public long readThrough(int partition, long nextOffset) {
            return Long.MAX_VALUE;
        }

        @Override
        public long reroutedThrough(int partition, long nextReroutedOffset) {
            return Long.MAX_VALUE;
        }

        @Override
        public Stall stall() {
            return Stall.NONE;
        }
    };

    /**
     * The latest wall-clock time {@code T} such that every record appended to the partition before
     * {@code T} has an offset below {@code nextOffset}: the input is provably read through {@code T}.
     *
     * @param nextOffset the offset of the next record the task will read, or -1 when the task has
     *     read nothing since it started (the group's committed offset is used instead)
     * @return that time, {@link Long#MAX_VALUE} for "now", or -1 when nothing is known
     */
    long readThrough(int partition, long nextOffset);

    /**
     * The latest wall-clock time {@code T} such that every record appended before {@code T} to any
     * other partition whose device this partition owns has reached this task: its own task has
     * handed it on (committed), and this task has read the re-routing topic past it. Until then a
     * heartbeat in the hop is unread input. See {@link Rerouting}.
     *
     * @param nextReroutedOffset the offset of the next record the task will read from its partition
     *     of the re-routing topic, or -1 when it has read none since it started
     * @return that time, {@link Long#MAX_VALUE} for "now", or -1 when nothing is known
     */
    long reroutedThrough(int partition, long nextReroutedOffset);

    /** The ingestion stall in progress or the last one that ended. */
    Stall stall();

    /**
     * An ingestion stall: the input of every partition stopped at once after steady traffic. The
     * detector's clock holds from the first quiet observation; the stall is declared (published,
     * and deadlines inside it given a grace) only once the quiet has lasted long enough to rule out
     * a hiccup.
     *
     * @param since    when the input stopped, or -1 for none
     * @param resumed  when it flowed again, or -1 while it is still stalled
     * @param declared the quiet lasted long enough to be a stall, not a hiccup
     */
    record Stall(long since, long resumed, boolean declared) {

        public static final Stall NONE = new Stall(-1, -1, false);

        public boolean ongoing() {
            return since >= 0 && resumed < 0;
        }
    }
}
