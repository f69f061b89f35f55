package io.offlinedetector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/** The running detector instances of the fleet stage, asked over their HTTP API. */
final class Fleet {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code GET /stats}; {@code partial} when an instance could not answer. */
    record Stats(long total, long online, long offline, boolean partial) {}

    /** One instance as {@code GET /instances} lists it. */
    record Instance(String url, Set<Integer> active, Set<Integer> standby) {}

    private final List<DetectorJvm> jvms;

    Fleet(List<DetectorJvm> jvms) {
        this.jvms = List.copyOf(jvms);
    }

    List<DetectorJvm> jvms() {
        return jvms;
    }

    static Stats stats(HttpConnection connection) {
        JsonNode body = json(connection, "/stats");
        return new Stats(body.path("total").asLong(), body.path("online").asLong(), body.path("offline").asLong(),
                body.path("partial").asBoolean(false));
    }

    static List<Instance> instances(HttpConnection connection) {
        JsonNode body = json(connection, "/instances");
        return StreamSupport.stream(body.path("instances").spliterator(), false)
                .map(node -> new Instance(node.path("url").asText(), ints(node.path("activePartitions")), ints(node.path("standbyPartitions"))))
                .toList();
    }

    /** Each instance's URL and active partitions. */
    static Map<String, Set<Integer>> activePartitions(List<Instance> instances) {
        Map<String, Set<Integer>> active = new LinkedHashMap<>();
        instances.forEach(instance -> active.put(instance.url(), instance.active()));
        return active;
    }

    /**
     * Waits until every instance is ready, every partition is processed and has a standby elsewhere,
     * the group has committed the whole input ({@code committedOffsets}), and {@code /stats} counts
     * exactly the expected devices.
     */
    void awaitCaughtUp(String name, long devices, long offline, int partitions, Supplier<long[]> committedOfTotal, Duration limit)
            throws InterruptedException {
        Phase phase = new Phase(name, limit);
        List<HttpConnection> connections = jvms.stream().map(jvm -> new HttpConnection(jvm.url(), REQUEST_TIMEOUT)).toList();
        try {
            while (true) {
                phase.check();
                for (DetectorJvm jvm : jvms) {
                    if (!jvm.isAlive()) {
                        throw new IllegalStateException("detector instance " + jvm.url() + " exited; see " + jvm.log());
                    }
                }
                int ready = (int) connections.stream().filter(c -> c.get("/ready").ok()).count();
                long[] committed = committedOfTotal.get();
                Stats stats = ready == 0 ? null : safeStats(connections.get(0));
                List<Instance> instances = ready == 0 ? List.of() : safeInstances(connections.get(0));
                boolean placed = placed(instances, jvms.size(), partitions);
                if (ready == jvms.size() && placed && committed[0] >= committed[1] && stats != null && !stats.partial()
                        && stats.total() == devices && stats.offline() == offline) {
                    phase.done("%,d devices, %,d OFFLINE, %d instances ready", stats.total(), stats.offline(), ready);
                    return;
                }
                phase.progress("ready %d of %d, lag %,d, stats %s, partitions placed %s",
                        ready, jvms.size(), Math.max(0, committed[1] - committed[0]),
                        stats == null ? "-" : String.format("%,d devices (%,d OFFLINE)%s", stats.total(), stats.offline(),
                                stats.partial() ? " partial" : ""), placed);
                Thread.sleep(POLL_MILLIS); // polling the instances at a fixed pace
            }
        } finally {
            connections.forEach(HttpConnection::close);
        }
    }

    /** Every partition active on one of {@code count} instances and standing by on another. */
    static boolean placed(List<Instance> instances, int count, int partitions) {
        if (instances.size() != count) {
            return false;
        }
        Set<Integer> active = new TreeSet<>();
        for (Instance instance : instances) {
            active.addAll(instance.active());
            for (int partition : instance.active()) {
                boolean standby = count < 2 || instances.stream().anyMatch(other -> other != instance && other.standby().contains(partition));
                if (!standby) {
                    return false;
                }
            }
        }
        return active.size() == partitions;
    }

    private static Stats safeStats(HttpConnection connection) {
        try {
            return stats(connection);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static List<Instance> safeInstances(HttpConnection connection) {
        try {
            return instances(connection);
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    private static JsonNode json(HttpConnection connection, String path) {
        HttpConnection.Answer answer = connection.get(path);
        if (!answer.ok()) {
            throw new IllegalStateException("GET " + path + ": " + answer.status() + " " + answer.body());
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Integer> ints(JsonNode array) {
        Set<Integer> values = new TreeSet<>();
        array.forEach(node -> values.add(node.asInt()));
        return values;
    }
}
