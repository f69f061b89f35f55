package io.offlinedetector.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void aSingleNodeIsBrokerAndControllerOnLoopbackWithReplicationFactorOne() {
        Map<String, String> props = BrokerProperties.of(LocalBroker.Settings.singleNode(dir, 9092), 9092, 9093);

        assertEquals("broker,controller", props.get("process.roles"));
        assertEquals("1", props.get("node.id"));
        assertEquals("1@127.0.0.1:9093", props.get("controller.quorum.voters"));
        assertEquals("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", props.get("listeners"));
        assertEquals("PLAINTEXT://127.0.0.1:9092", props.get("advertised.listeners"));
        assertEquals("CONTROLLER", props.get("controller.listener.names"));
        assertEquals(dir.resolve("kraft-logs").toString(), props.get("log.dirs"));
        for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "transaction.state.log.min.isr")) {
            assertEquals("1", props.get(key), key);
        }
        assertEquals("0", props.get("group.initial.rebalance.delay.ms"));
        assertEquals("false", props.get("auto.create.topics.enable"));
    }

    @Test
    void aClusterNodeTakesTheSharedVotersAndOverrides() {
        LocalBroker.Settings settings = new LocalBroker.Settings(dir, 2, 0, 0, "1@127.0.0.1:1,2@127.0.0.1:2,3@127.0.0.1:3",
                "cluster", Map.of("default.replication.factor", "3"), List.of());

        Map<String, String> props = BrokerProperties.of(settings, 19092, 2);

        assertEquals("2", props.get("node.id"));
        assertEquals("1@127.0.0.1:1,2@127.0.0.1:2,3@127.0.0.1:3", props.get("controller.quorum.voters"));
        assertEquals("3", props.get("default.replication.factor"));
    }

    @Test
    void escapedValuesReadBackAsWritten() throws IOException {
        String value = " C:\\kafka\\données";
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "v=" + LocalBroker.escape(value) + "\n");
        Properties read = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            read.load(in);   // as Kafka reads it: ISO-8859-1
        }
        assertEquals(value, read.getProperty("v"));
    }
}
