package io.offlinedetector.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Memory and disk this JVM uses: resident set from /proc, heap after a collection, bytes under a directory. */
final class Footprint {

    private Footprint() {}

    /** Resident set size of this JVM in bytes, or -1 where /proc is not there (not Linux). */
    static long residentBytes() {
        return procStatusBytes("self", "VmRSS");
    }

    /**
     * A size from {@code /proc/<pid>/status}, such as {@code VmRSS} (resident now) or {@code VmHWM}
     * (the most it was resident), in bytes; -1 where /proc or the process is not there.
     */
    static long procStatusBytes(String pid, String field) {
        try {
            return statusBytes(Files.readString(Path.of("/proc", pid, "status")), field);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The field's size from the text of a {@code /proc/<pid>/status}, whose sizes are in kB; -1 when it is not there. */
    static long statusBytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] words = line.substring(field.length() + 1).trim().split("\\s+");
                if (words.length == 2 && words[1].equals("kB")) {
                    return Long.parseLong(words[0]) * 1024;
                }
            }
        }
        return -1;
    }

    /** Heap in use after a full collection, so that garbage does not count as footprint. */
    static long heapUsedBytes() {
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long directoryBytes(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed during the walk
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
