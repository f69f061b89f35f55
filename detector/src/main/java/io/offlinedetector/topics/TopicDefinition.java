package io.offlinedetector.topics;

import io.offlinedetector.config.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.Rerouting;

/**
 * A topic as defined in {@code topics/<name>.properties}: partitions, replication factor
 * ({@code default} for the broker's) and {@code config.*} topic configs. The jar carries the same
 * files, so they are read from the classpath.
 */
public record TopicDefinition(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {

    private static final String CONFIG_PREFIX = "config.";

    /** The topics the detector reads and writes. */
    public static List<TopicDefinition> all() {
        return List.of(load(Names.HEARTBEATS_TOPIC), load(Names.STATUS_TOPIC), load(Names.DLQ_TOPIC), load(Names.EVENTS_TOPIC));
    }

    /**
     * The topics one detector application needs: those of {@link #all()}, and with more than one
     * partition its own re-routing topic, which has the partitions, replication and retention of
     * {@code heartbeats} (see {@link Rerouting}).
     */
    public static List<TopicDefinition> forApplication(String applicationId) {
        List<TopicDefinition> topics = new ArrayList<>(all());
        TopicDefinition heartbeats = topics.get(0);
        Rerouting rerouting = Rerouting.of(applicationId, heartbeats.partitions());
        if (rerouting.enabled()) {
            topics.add(new TopicDefinition(rerouting.topic(), heartbeats.partitions(), heartbeats.replicationFactor(), heartbeats.configs()));
        }
        return List.copyOf(topics);
    }

    /** The input topic: its partition count is the detector's unit of parallelism. */
    public static TopicDefinition heartbeats() {
        return load(Names.HEARTBEATS_TOPIC);
    }

    static TopicDefinition load(String name) {
        String resource = "topics/" + name + ".properties";
        Properties properties = new Properties();
        try (InputStream in = TopicDefinition.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StartupException("topic definition " + resource + " is missing from the jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (IOException e) {
            throw new StartupException("cannot read topic definition " + resource + ": " + e.getMessage(), e);
        }
        return parse(name, properties);
    }

    static TopicDefinition parse(String name, Properties properties) {
        String where = "topics/" + name + ".properties";
        int partitions;
        try {
            partitions = Integer.parseInt(properties.getProperty("partitions", "").trim());
        } catch (NumberFormatException e) {
            throw new StartupException(where + ": partitions must be a whole number");
        }
        if (partitions < 1) {
            throw new StartupException(where + ": partitions must be at least 1");
        }
        String replication = properties.getProperty("replication.factor", "default").trim();
        Optional<Short> replicationFactor;
        try {
            replicationFactor = replication.equals("default") ? Optional.empty() : Optional.of(Short.parseShort(replication));
        } catch (NumberFormatException e) {
            throw new StartupException(where + ": replication.factor must be a whole number or 'default'");
        }
        if (replicationFactor.isPresent() && replicationFactor.get() < 1) {
            throw new StartupException(where + ": replication.factor must be at least 1, or 'default'");
        }
        Map<String, String> configs = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                configs.put(key.substring(CONFIG_PREFIX.length()), properties.getProperty(key).trim());
            } else if (!key.equals("partitions") && !key.equals("replication.factor")) {
                throw new StartupException(where + ": unknown key '" + key + "'");
            }
        }
        return new TopicDefinition(name, partitions, replicationFactor, configs);
    }
}
