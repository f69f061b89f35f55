package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.testing.DetectorProcess;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.topics.TopicDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas that start at the same moment on a fresh cluster, as a Kubernetes Deployment with three
 * replicas and no separate topic job does: they race to create the topics, and every one of them
 * must become ready. Each repetition has an empty broker of its own.
 */
class SimultaneousStartIT {

    private static final int INSTANCES = 3;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @RepeatedTest(5)
    @DisplayName("three run instances started together on an empty broker all become ready")
    void allInstancesStartedTogetherBecomeReady(@TempDir Path dir) throws Exception {
        String applicationId = "together-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaBroker broker = KafkaBroker.start()) {
            List<DetectorProcess> instances = new ArrayList<>();
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    instances.add(DetectorProcess.start(DetectorProcess.freePort(), dir.resolve("instance-" + i + ".log"), List.of(
                            "--bootstrap-servers", broker.bootstrapServers(),
                            "--application-id", applicationId,
                            "--state-dir", dir.resolve("state-" + i).toString(),
                            "--stream-threads", "1")));
                }
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (DetectorProcess instance : instances) {
                        assertThat(instance.isAlive()).as("instance output:%n%s", instance.output()).isTrue();
                    }
                    return instances.stream().allMatch(instance -> HttpJson.get(instance.url(), "/ready").status() == 200);
                });
                try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                    Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                    assertThat(topics).containsAll(TopicDefinition.forApplication(applicationId).stream()
                            .map(TopicDefinition::name).collect(Collectors.toSet()));
                }
            } finally {
                for (DetectorProcess instance : instances) {
                    instance.terminate();
                }
                for (DetectorProcess instance : instances) {
                    if (instance.awaitExit(Duration.ofSeconds(40)) == null) {
                        instance.close();
                    }
                }
            }
        }
    }
}
