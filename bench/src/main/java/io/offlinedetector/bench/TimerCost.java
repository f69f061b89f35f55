package io.offlinedetector.bench;

import io.offlinedetector.topology.IndexKeys;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Timer cost on the detector's own stores, as the catch-up phase left them on disk: the check the
 * processor makes (a range read of the timer index up to now, as in {@code TimerIndex.due}: the
 * filings in the state store, from the floor kept in the index store) against a naive full scan of
 * the device states. Opened read-only with RocksDB directly, so that only the store reads are timed.
 */
final class TimerCost implements AutoCloseable {

    record Result(Percentiles check, Percentiles scan, long scannedDevices, Percentiles dueCheck, long due) {

        /** @param stores whose stores were read, for the rows' labels */
        void report(Report report, String stores) {
            String b = "b. timer cost";
            double checkP99Ms = check.p99() / 1e6;
            report.add(b, String.format("check, none due, %,d devices (%s): p50", scannedDevices, stores), check.p50() / 1e6, "ms");
            report.addScaled(b, "check, none due: p99", checkP99Ms, "ms", "<= 2 ms at 1,000,000", checkP99Ms <= 2,
                    scannedDevices, BenchCommand.FLEET);
            report.add(b, "naive full scan: p50", scan.p50() / 1e6, "ms");
            report.add(b, "naive full scan: p99", scan.p99() / 1e6, "ms");
            report.add(b, "scan / check (p50)", scan.p50() / (double) Math.max(1, check.p50()), "ratio");
            report.add(b, String.format("check, %,d due at once: p50", due), dueCheck.p50() / 1e6, "ms");
            report.add(b, String.format("check, %,d due at once: p99", due), dueCheck.p99() / 1e6, "ms");
        }
    }

    /** One task's stores: where its timer floor is kept, and its states with their timer filings. */
    private record Task(RocksDB index, RocksDB states) {}

    private final List<Task> tasks = new ArrayList<>();
    private final Options options = new Options();

    static {
        RocksDB.loadLibrary();
    }

    /** @param appStateDir the application's directory under the state dir, one sub-directory per task */
    TimerCost(Path appStateDir) {
        try (Stream<Path> taskDirs = Files.list(appStateDir)) {
            for (Path task : taskDirs.filter(Files::isDirectory).sorted().toList()) {
                Path index = task.resolve("rocksdb").resolve(Names.INDEX_STORE);
                Path state = task.resolve("rocksdb").resolve(Names.STATE_STORE);
                if (Files.isDirectory(index) && Files.isDirectory(state)) {
                    tasks.add(new Task(RocksDB.openReadOnly(options, index.toString()), RocksDB.openReadOnly(options, state.toString())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open the detector's stores under " + appStateDir + ": " + e.getMessage(), e);
        }
        if (tasks.isEmpty()) {
            throw new IllegalStateException("no detector stores under " + appStateDir);
        }
    }

    Result measure(long now, int checks, int scans, int dueTarget, Duration limit) {
        Phase phase = new Phase("timer-cost", limit);
        long[] checkNanos = new long[checks];
        for (int i = 0; i < checks; i++) {
            long start = System.nanoTime();
            int found = due(now, Integer.MAX_VALUE);
            checkNanos[i] = System.nanoTime() - start;
            if (found != 0) {
                throw new IllegalStateException(found + " devices are due at the 'none due' time; the bench's clock is off");
            }
            phase.check();
            phase.progress("check %d of %d", i + 1, checks);
        }
        long[] scanNanos = new long[scans];
        long scanned = 0;
        for (int i = 0; i < scans; i++) {
            long start = System.nanoTime();
            scanned = scanAll();
            scanNanos[i] = System.nanoTime() - start;
            phase.check();
            phase.progress("scan %d of %d", i + 1, scans);
        }
        long dueAt = deadlineOfNth(dueTarget);
        long[] dueNanos = new long[Math.max(1, checks / 10)];
        int due = 0;
        for (int i = 0; i < dueNanos.length; i++) {
            long start = System.nanoTime();
            due = due(dueAt, Integer.MAX_VALUE);
            dueNanos[i] = System.nanoTime() - start;
            phase.check();
        }
        phase.done("%,d checks, %,d scans of %,d devices, %,d due at once", checks, scans, scanned, due);
        return new Result(Percentiles.of(checkNanos), Percentiles.of(scanNanos), scanned, Percentiles.of(dueNanos), due);
    }

    /**
     * What the processor's check reads: the timer keys from the store's timer floor (below which
     * nothing is filed) to now, decoded.
     */
    private int due(long now, int max) {
        int found = 0;
        for (Task task : tasks) {
            byte[] from = IndexKeys.timerBound(timerFloor(task.index())).get();
            try (Slice upper = new Slice(IndexKeys.timerBound(now + 1).get());
                    ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = task.states().newIterator(read)) {
                for (it.seek(from); it.isValid() && found < max; it.next()) {
                    Bytes key = Bytes.wrap(it.key());
                    if (IndexKeys.timerDeviceId(key).isEmpty() || IndexKeys.timerDeadline(key) > now) {
                        throw new IllegalStateException("timer key out of range");
                    }
                    found++;
                }
            }
        }
        return found;
    }

    private static long timerFloor(RocksDB index) {
        try {
            return IndexKeys.decodeLong(index.get(IndexKeys.timerFloor().get()), 0);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the timer floor: " + e.getMessage(), e);
        }
    }

    /** The naive check: every device's state read, as a scan for due devices would. */
    private long scanAll() {
        long devices = 0;
        for (Task task : tasks) {
            try (RocksIterator it = task.states().newIterator()) {
                for (it.seek(IndexKeys.statesAfter(null).get()); it.isValid(); it.next()) {
                    if (it.value().length > 0) {
                        devices++;
                    }
                }
            }
        }
        return devices;
    }

    /** The deadline by which about {@code n} devices are due, read from the index in deadline order. */
    private long deadlineOfNth(int n) {
        List<Long> deadlines = new ArrayList<>();
        byte[] from = IndexKeys.timerBound(0).get();
        byte[] end = IndexKeys.timerBound(Long.MAX_VALUE).get();
        for (Task task : tasks) {
            try (Slice upper = new Slice(end); ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
                    RocksIterator it = task.states().newIterator(read)) {
                int taken = 0;
                for (it.seek(from); it.isValid() && taken < n; it.next(), taken++) {
                    deadlines.add(IndexKeys.timerDeadline(Bytes.wrap(it.key())));
                }
            }
        }
        if (deadlines.isEmpty()) {
            throw new IllegalStateException("the timer index is empty");
        }
        deadlines.sort(null);
        return deadlines.get(Math.min(n, deadlines.size()) - 1);
    }

    @Override
    public void close() {
        tasks.forEach(task -> {
            task.index().close();
            task.states().close();
        });
        options.close();
    }
}
