package io.offlinedetector.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.config.StartupException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real broker JVM the way {@code local} does (needs {@code target/local-broker} and the
 * tools jar beside it, which {@code mvn verify} builds before it runs this).
 */
class LocalBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void servesProduceAndConsumeAndIsGoneOnceClosed() throws Exception {
        LocalBroker broker = LocalBroker.start(dataDir, 0);
        ProcessHandle process = broker.process();
        String topic = "local-broker-it";
        try {
            assertTrue(process.isAlive());
            assertTrue(Files.size(broker.logFile()) > 0, "the broker logs to its file");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "device-1", "{}")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                await().atMost(WAIT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return !received.isEmpty();
                });
            }
            assertEquals("device-1", received.get(0).key());
            assertEquals("{}", received.get(0).value());
        } finally {
            broker.close();
        }
        assertFalse(process.isAlive(), "close returns once the broker JVM is gone");
        assertFalse(broker.isAlive());
    }

    @Test
    void restartsOnTheDataOfAnEarlierStart() throws Exception {
        String topic = "kept";
        LocalBroker first = LocalBroker.start(dataDir, 0);
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            first.close();
        }

        LocalBroker second = LocalBroker.start(dataDir, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get(WAIT.toSeconds(), TimeUnit.SECONDS).contains(topic), "the topic is still there");
        } finally {
            second.close();
        }
    }

    @Test
    void refusesAKafkaPortThatIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LocalBroker.HOST))) {
            StartupException e = assertThrows(StartupException.class, () -> LocalBroker.start(dataDir, taken.getLocalPort()));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }

    @Test
    void stopsByItselfWhenItsParentIsKilled() throws IOException {
        Path output = dataDir.resolve("parent.out");
        Process parent = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                BrokerParent.class.getName(), dataDir.resolve("broker").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        Optional<ProcessHandle> broker = Optional.empty();
        try {
            await().atMost(WAIT.plusSeconds(30)).until(() -> ready(output) || !parent.isAlive());
            assertTrue(parent.isAlive(), "the parent started its broker: " + Files.readString(output));
            long brokerPid = Long.parseLong(Files.readString(output).lines()
                    .filter(line -> line.startsWith(BrokerParent.READY)).findFirst().orElseThrow()
                    .substring(BrokerParent.READY.length()).trim());
            broker = ProcessHandle.of(brokerPid);
            assertTrue(broker.isPresent() && broker.get().isAlive(), "the broker runs");

            parent.destroyForcibly();   // kill -9: no shutdown hook of the parent runs

            ProcessHandle orphan = broker.get();
            await().atMost(Duration.ofSeconds(90)).until(() -> !orphan.isAlive());
        } finally {
            parent.destroyForcibly();
            broker.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean ready(Path output) throws IOException {
        return Files.readString(output).contains(BrokerParent.READY);
    }
}
