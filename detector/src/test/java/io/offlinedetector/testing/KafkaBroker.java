package io.offlinedetector.testing;

import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker, Kafka's own server, started in this JVM for one test class.
 * Settings are those of a one-broker cluster: replication factor 1 for internal topics, so that
 * exactly-once transactions work.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() throws Exception {
        return start(Map.of());
    }

    public static KafkaBroker start(Map<String, String> extraBrokerConfig) throws Exception {
        return start(SecurityProtocol.PLAINTEXT, extraBrokerConfig);
    }

    /**
     * A broker whose client listener requires SASL/PLAIN over plaintext (loopback only). Its users
     * are the test kit's ({@link JaasUtils}): {@value JaasUtils#KAFKA_PLAIN_ADMIN}, a super user the
     * broker itself uses, and {@value JaasUtils#KAFKA_PLAIN_USER1} for clients. Authorization stays
     * out of the way (no ACLs means allowed): these tests are about authentication.
     */
    public static KafkaBroker startWithSaslPlain() throws Exception {
        return start(SecurityProtocol.SASL_PLAINTEXT, Map.of("allow.everyone.if.no.acl.found", "true"));
    }

    private static KafkaBroker start(SecurityProtocol clientProtocol, Map<String, String> extraBrokerConfig) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBrokerSecurityProtocol(clientProtocol)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("default.replication.factor", "1");
        extraBrokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
