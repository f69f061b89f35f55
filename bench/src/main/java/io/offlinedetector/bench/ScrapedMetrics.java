package io.offlinedetector.bench;

/** Reads figures out of an instance's {@code GET /metrics} (Prometheus text format). */
final class ScrapedMetrics {

    private ScrapedMetrics() {}

    /** Heap in use: the sum of {@code jvm_memory_used_bytes} over the heap's pools, or -1 when there is none. */
    static long heapUsedBytes(String metrics) {
        return (long) sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
    }

    /**
     * Bytes the JVM has allocated on its heap since it started ({@code jvm_gc_memory_allocated_bytes_total}),
     * as of its last collection; -1 when there is none.
     */
    static long allocatedBytes(String metrics) {
        String name = "jvm_gc_memory_allocated_bytes_total";
        for (String line : metrics.split("\\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                String rest = line.contains("}") ? line.substring(line.lastIndexOf('}') + 1) : line.substring(name.length());
                return (long) Double.parseDouble(rest.trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label}; -1 when there is none. */
    static double sum(String metrics, String name, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            if (close < 0 || !line.substring(name.length(), close).contains(label)) {
                continue;
            }
            String[] rest = line.substring(close + 1).trim().split("\\s+");
            sum += Double.parseDouble(rest[0]);
            found = true;
        }
        return found ? sum : -1;
    }
}
