package io.offlinedetector.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.config.StartupException;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicDefinitionTest {

    @Test
    void shippedDefinitionsLoadFromTheClasspath() {
        List<TopicDefinition> all = TopicDefinition.all();

        assertEquals(List.of("heartbeats", "device-status", "heartbeats-dlq", "detector-events"), all.stream().map(TopicDefinition::name).toList());
        assertEquals(List.of(Names.HEARTBEATS_TOPIC, Names.STATUS_TOPIC, Names.DLQ_TOPIC, Names.EVENTS_TOPIC),
                all.stream().map(TopicDefinition::name).toList());
        for (TopicDefinition topic : all) {
            assertTrue(topic.partitions() >= 1, topic.toString());
        }
    }

    @Test
    void statusTopicIsCompacted() {
        TopicDefinition status = byName(Names.STATUS_TOPIC);

        assertEquals("compact", status.configs().get("cleanup.policy"));
    }

    @Test
    void heartbeatsAndDeadLettersAreNotCompacted() {
        assertEquals("delete", byName(Names.HEARTBEATS_TOPIC).configs().get("cleanup.policy"));
        assertEquals("delete", byName(Names.DLQ_TOPIC).configs().get("cleanup.policy"));
    }

    @Test
    void parsesPartitionsReplicationAndTopicConfigs() throws IOException {
        TopicDefinition topic = TopicDefinition.parse("t", properties(
                "partitions = 6 ", "replication.factor=3", "config.cleanup.policy=compact", "config.retention.ms= 1000 "));

        assertEquals(new TopicDefinition("t", 6, Optional.of((short) 3), Map.of("cleanup.policy", "compact", "retention.ms", "1000")), topic);
    }

    @Test
    void replicationFactorDefaultsToTheBrokers() throws IOException {
        assertEquals(Optional.empty(), TopicDefinition.parse("t", properties("partitions=1")).replicationFactor());
        assertEquals(Optional.empty(), TopicDefinition.parse("t", properties("partitions=1", "replication.factor=default")).replicationFactor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "partitions=", "partitions=abc", "partitions=0", "partitions=-3", "partitions=1.5", "partitions=99999999999"})
    void badPartitionsAreRefused(String line) throws IOException {
        assertRefused(properties(line), "partitions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replication.factor=abc", "replication.factor=", "replication.factor=70000", "replication.factor=0",
            "replication.factor=-2"})
    void badReplicationFactorIsRefused(String line) throws IOException {
        assertRefused(properties("partitions=3", line), "replication.factor");
    }

    @Test
    void unknownKeyIsRefused() throws IOException {
        assertRefused(properties("partitions=3", "cleanup.policy=compact"), "cleanup.policy");
        assertRefused(properties("partitions=3", "partition=3"), "partition");
    }

    private static void assertRefused(Properties properties, String fragment) {
        StartupException e = assertThrows(StartupException.class, () -> TopicDefinition.parse("bad", properties));
        assertTrue(e.getMessage().contains("topics/bad.properties"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static TopicDefinition byName(String name) {
        return TopicDefinition.all().stream().filter(topic -> topic.name().equals(name)).findFirst().orElseThrow();
    }

    private static Properties properties(String... lines) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(String.join("\n", lines)));
        return properties;
    }
}
