package io.offlinedetector;

import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.StartupException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Under the streams rebalance protocol (KIP-1071, {@code group.protocol=streams}) the broker
 * assigns the tasks, and Kafka Streams ignores its own {@code num.standby.replicas}: the count is
 * the group's config {@code streams.num.standby.replicas}. This sets it from the detector's
 * setting, so that the setting means the same under both protocols.
 */
final class StreamsGroupStandbys {

    static final String GROUP_CONFIG = "streams.num.standby.replicas";

    private StreamsGroupStandbys() {}

    static boolean streamsProtocol(DetectorConfig config) {
        String protocol = config.kafka().get(StreamsConfig.GROUP_PROTOCOL_CONFIG);
        return protocol != null && protocol.trim().toLowerCase(Locale.ROOT).equals("streams");
    }

    /** @throws StartupException when the broker refuses, for example above {@code group.streams.max.standby.replicas} */
    static void apply(Admin admin, DetectorConfig config, Duration timeout) {
        if (!streamsProtocol(config)) {
            return;
        }
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, config.applicationId());
        AlterConfigOp set = new AlterConfigOp(new ConfigEntry(GROUP_CONFIG, Integer.toString(config.standbyReplicas())), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(group, List.of(set))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StartupException("cannot set " + GROUP_CONFIG + "=" + config.standbyReplicas() + " on group " + config.applicationId()
                    + " (group.protocol=streams): " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException("Kafka did not set " + GROUP_CONFIG + " on group " + config.applicationId() + " within "
                    + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while setting " + GROUP_CONFIG);
        }
    }
}
