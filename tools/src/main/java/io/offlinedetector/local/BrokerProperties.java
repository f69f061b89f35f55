package io.offlinedetector.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code server.properties} of one local KRaft node, as Kafka's own
 * {@code config/server.properties} has it for a combined broker and controller, with the
 * replication factors of the internal topics lowered so that a single node can serve them.
 */
final class BrokerProperties {

    static final String KAFKA_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {}

    /** Every property, sorted by name; the settings' overrides win. */
    static Map<String, String> of(LocalBroker.Settings settings, int kafkaPort, int controllerPort) {
        String host = LocalBroker.HOST;
        Map<String, String> props = new TreeMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(settings.nodeId()));
        props.put("controller.quorum.voters", settings.quorumVoters() != null
                ? settings.quorumVoters()
                : settings.nodeId() + "@" + host + ":" + controllerPort);
        props.put("listeners", KAFKA_LISTENER + "://" + host + ":" + kafkaPort + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", KAFKA_LISTENER + "://" + host + ":" + kafkaPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", KAFKA_LISTENER);
        props.put("listener.security.protocol.map", KAFKA_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir(settings.dataDir()).toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created with their defined partition counts (topics/); a producer must not
        // create one with the broker's default by naming it first.
        props.put("auto.create.topics.enable", "false");
        props.putAll(settings.overrides());
        return props;
    }

    /** Where the node keeps its log segments and its metadata log. */
    static Path logDir(Path dataDir) {
        return dataDir.resolve("kraft-logs");
    }
}
