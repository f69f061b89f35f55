package io.offlinedetector.cli;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topics}: create the topics defined in {@code topics/}, or only verify them. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the topics defined in topics/ and the application's re-routing topic where missing, and verify the existing ones.")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    private KafkaConnection kafka;

    @Option(names = "--verify-only", description = "only check that every topic exists with its defined partition count")
    private boolean verifyOnly;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", description = "how long to wait for Kafka (default ${DEFAULT-VALUE})")
    private Duration wait;

    @Override
    public Integer call() {
        int waitMs = (int) Math.min(Integer.MAX_VALUE, wait.toMillis());
        DetectorConfig config = kafka.load();
        List<TopicDefinition> definitions = TopicDefinition.forApplication(config.applicationId());
        Map<String, Object> props = new HashMap<>(KafkaProperties.admin(config));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, waitMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, waitMs);
        Admin admin = Admin.create(props);
        try {
            TopicManager topics = new TopicManager(admin, config.bootstrapServers(), wait);
            List<String> created = verifyOnly ? List.of() : topics.ensure(definitions);
            if (verifyOnly) {
                topics.verify(definitions);
            }
            for (TopicDefinition definition : definitions) {
                System.out.printf("%-32s %3d partitions  %s%n", definition.name(), definition.partitions(),
                        created.contains(definition.name()) ? "created" : "ok");
            }
        } finally {
            admin.close(Duration.ofSeconds(5)); // not the default: waiting out calls still retrying
        }
        return 0;
    }
}
