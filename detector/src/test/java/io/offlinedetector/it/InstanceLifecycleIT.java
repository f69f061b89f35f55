package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.offlinedetector.App;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.DetectorProcess;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and restarting an instance: SIGTERM in bounded time, and state that survives a restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstanceLifecycleIT {

    /** App closes Kafka Streams within 30 s; the JVM, HTTP server included, must be gone soon after. */
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(40);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private KafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private TopicTail statuses;

    @BeforeAll
    void startBroker() throws Exception {
        broker = KafkaBroker.start();
        // The topics exist before anything reads them, so that nothing creates them with other partition counts.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            new TopicManager(admin, broker.bootstrapServers(), WAIT).ensure(TopicDefinition.all());
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (statuses != null) {
            statuses.close();
            producer.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void sigtermStopsTheInstanceWithinTheBoundAndLeavesTheGroupAtOnce(@TempDir Path dir) throws Exception {
        String applicationId = "sigterm-it-" + UUID.randomUUID();
        try (DetectorProcess instance = DetectorProcess.start(DetectorProcess.freePort(), dir.resolve("instance.log"), List.of(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--application-id", applicationId,
                "--state-dir", dir.resolve("state").toString()))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(instance.isAlive()).as("instance output:%n%s", instance.output()).isTrue();
                return HttpJson.get(instance.url(), "/ready").status() == 200;
            });

            long signalledAt = System.nanoTime();
            instance.terminate();
            Integer status = instance.awaitExit(SHUTDOWN_BOUND);
            Duration took = Duration.ofNanos(System.nanoTime() - signalledAt);

            assertThat(status).as("exited within %s; output:%n%s", SHUTDOWN_BOUND, instance.output()).isNotNull();
            System.out.printf("SHUTDOWN: SIGTERM to exit in %d ms, status %d%n", took.toMillis(), status);
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited because of the signal.
            assertThat(status).isIn(0, 143);
            assertThat(instance.output()).contains("Offline Detector instance stopped");
            assertThat(HttpJson.get(instance.url(), "/health").status()).as("HTTP API closed").isEqualTo(-1);
            assertThat(groupMembers(applicationId)).as("left the group instead of waiting out its session").isZero();
        }
    }

    @Test
    void aRestartedInstanceReusesItsStateDirectoryAndDoesNotReEmitEvents(@TempDir Path stateDir) throws Exception {
        String applicationId = "restart-it-" + UUID.randomUUID();
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            devices.add("restart-" + i + "-" + UUID.randomUUID().toString().substring(0, 8));
        }
        String silent = devices.get(0);   // goes silent while the instance is down
        String group = applicationId;     // this test's devices only: the class's other tests share the topic

        try (App first = start(applicationId, stateDir)) {
            await().atMost(WAIT).until(first::ready);
            devices.forEach(device -> send(device, device.equals(silent) ? 4_000 : 120_000, group));
            await().atMost(WAIT).untilAsserted(() -> devices.forEach(device -> assertThat(eventsOf(device)).as(device).hasSize(1)));
        }
        // Kafka Streams keeps the changelog offsets inside the stores (KIP-1035); what must survive is the stores' files.
        Map<Path, Object> storeFiles = storeFiles(stateDir);
        assertThat(storeFiles).as("RocksDB files in %s after a clean close", stateDir).isNotEmpty();
        try (App second = start(applicationId, stateDir)) {
            await().atMost(WAIT).until(second::ready);
            String url = second.url().toString();
            await().atMost(WAIT).untilAsserted(() -> {
                for (String device : devices.subList(1, devices.size())) {
                    HttpJson.Reply reply = HttpJson.get(url, "/devices/" + device);
                    assertThat(reply.status()).isEqualTo(200);
                    assertThat(reply.body().get("sequence").asLong()).isEqualTo(1);
                }
            });
            assertThat(storeFiles(stateDir)).as("the restarted instance opened the same store files instead of restoring anew")
                    .containsAllEntriesOf(storeFiles);
            devices.subList(1, devices.size()).forEach(device -> send(device, 120_000, group));
            // The device that went silent during the downtime: reported once, after the restart.
            await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(silent)).extracting(StatusChange::status)
                    .containsExactly(Status.ONLINE, Status.OFFLINE));
            // The counts, saved at the clean close and read back at the open, still count each device once.
            await().atMost(WAIT).untilAsserted(() -> assertThat(countsOf(url, group)).isEqualTo((devices.size() - 1) + "/1"));
            // The heartbeats sent after the restart are processed (lastSeen moves) without a new event.
            long resent = System.currentTimeMillis();
            send(devices.get(1), 120_000, group);
            await().atMost(WAIT).untilAsserted(() -> assertThat(java.time.Instant.parse(
                    HttpJson.get(url, "/devices/" + devices.get(1)).body().get("lastSeen").asText()).toEpochMilli())
                    .isGreaterThanOrEqualTo(resent));
        }
        for (String device : devices.subList(1, devices.size())) {
            assertThat(eventsOf(device)).as("events of %s across the restart", device)
                    .extracting(StatusChange::sequence).containsExactly(1L);
        }
    }

    /** The group's counts as "online/offline" in {@code /stats?by=group}, or null when it has none. */
    private static String countsOf(String url, String group) {
        for (JsonNode count : HttpJson.get(url, "/stats?by=group&limit=1000").body().get("groups")) {
            if (group.equals(count.get("key").asText())) {
                return count.get("online").asLong() + "/" + count.get("offline").asLong();
            }
        }
        return null;
    }

    /** Every RocksDB table file under the state directory, with its identity (inode) to tell a kept file from a rewritten one. */
    private static Map<Path, Object> storeFiles(Path stateDir) throws java.io.IOException {
        Map<Path, Object> files = new java.util.HashMap<>();
        try (Stream<Path> walk = Files.walk(stateDir)) {
            for (Path path : walk.filter(p -> p.getFileName().toString().endsWith(".sst")).toList()) {
                files.put(stateDir.relativize(path), Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
            }
        }
        return files;
    }

    private App start(String applicationId, Path stateDir) {
        return DetectorApps.startWithProductTimeouts(broker, applicationId, stateDir);
    }

    private void send(String device, long timeoutMs) {
        send(device, timeoutMs, "lifecycle");
    }

    private void send(String device, long timeoutMs, String group) {
        try {
            producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, System.currentTimeMillis(), device,
                    "{\"timeoutMs\":" + timeoutMs + ",\"group\":\"" + group + "\"}")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send a heartbeat", e);
        }
    }

    private List<StatusChange> eventsOf(String device) {
        return statuses.records().stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(device))
                .map(r -> StatusChangeJson.read(r.value()))
                .toList();
    }

    private int groupMembers(String groupId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId).members().size();
        }
    }
}
