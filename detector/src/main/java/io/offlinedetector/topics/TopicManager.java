package io.offlinedetector.topics;

import io.offlinedetector.config.Durations;
import io.offlinedetector.config.StartupException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics that are missing and refuses topics whose partition count disagrees. */
public final class TopicManager {

    private static final Logger LOG = LoggerFactory.getLogger(TopicManager.class);

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    public TopicManager(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /**
     * @return the names of the topics it created
     * @throws StartupException when Kafka cannot be reached in time or a topic disagrees
     */
    public List<String> ensure(Collection<TopicDefinition> definitions) {
        List<String> created = new ArrayList<>();
        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<NewTopic> missing = new ArrayList<>();
        for (TopicDefinition definition : definitions) {
            if (!existing.contains(definition.name())) {
                missing.add(new NewTopic(definition.name(), java.util.Optional.of(definition.partitions()), definition.replicationFactor())
                        .configs(definition.configs()));
            }
        }
        for (NewTopic topic : missing) {
            try {
                await(admin.createTopics(List.of(topic)).all(), "create topic " + topic.name());
                created.add(topic.name());
                LOG.info("Created topic {} with {} partitions", topic.name(), topic.numPartitions());
            } catch (TopicAlreadyCreated e) {
                LOG.info("Topic {} was created meanwhile by another instance", topic.name());
            }
        }
        // Also when this instance created nothing: instances started together race to create the
        // topics, and the winner's may not be in the metadata this instance is answered from yet.
        awaitVisible(definitions);
        return created;
    }

    /**
     * New topics reach every broker's metadata a moment after creation, whoever created them; until
     * then they look missing. Waits for them within the timeout.
     */
    private void awaitVisible(Collection<TopicDefinition> definitions) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                verify(definitions);
                return;
            } catch (StartupException e) {
                if (System.nanoTime() > deadline || !(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100); // a bounded poll for broker-side metadata, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for new topics");
            }
        }
    }

    /** @throws StartupException naming the first topic that is missing or has another partition count */
    public void verify(Collection<TopicDefinition> definitions) {
        List<String> names = definitions.stream().map(TopicDefinition::name).toList();
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = await(admin.describeTopics(names).allTopicNames(), "describe topics");
        } catch (StartupException e) {
            if (e.getCause() instanceof AuthenticationException) {
                throw e; // not a missing topic: "create them" would send the user the wrong way
            }
            throw new StartupException("topics " + names + " are not all present on " + bootstrapServers
                    + "; create them with the 'topics' command (" + e.getMessage() + ")", e.getCause());
        }
        for (TopicDefinition definition : definitions) {
            int actual = descriptions.get(definition.name()).partitions().size();
            if (actual != definition.partitions()) {
                throw new StartupException("topic '" + definition.name() + "' has " + actual + " partitions but topics/"
                        + definition.name() + ".properties defines " + definition.partitions()
                        + "; the device-to-partition mapping would change, so the detector will not start");
            }
        }
    }

    private StartupException unreachable(String what) {
        return new StartupException("cannot reach Kafka at " + bootstrapServers + " within " + Durations.format(timeout)
                + " (" + what + "); check --bootstrap-servers and that Kafka is up");
    }

    /** Broker messages may span lines; the user sees one. */
    private static String oneLine(String message) {
        return message == null ? "no reason given" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Thrown inside {@link #ensure} when a concurrent creator won the race. */
    private static final class TopicAlreadyCreated extends RuntimeException {
        TopicAlreadyCreated() {
            super(null, null, false, false);
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable(what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new TopicAlreadyCreated();
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(what); // the client's own timeout, which may come first
            }
            if (e.getCause() instanceof AuthenticationException) { // SASL and SSL alike
                throw new StartupException("Kafka at " + bootstrapServers + " refused the authentication: " + oneLine(e.getCause().getMessage())
                        + " (check security.protocol, sasl.mechanism, sasl.jaas.config and ssl.* in the config file)", e.getCause());
            }
            throw new StartupException("Kafka at " + bootstrapServers + " refused to " + what + ": " + oneLine(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting to " + what);
        }
    }
}
