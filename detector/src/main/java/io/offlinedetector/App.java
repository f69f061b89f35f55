package io.offlinedetector;

import io.offlinedetector.admin.KafkaDeviceRemoval;
import io.offlinedetector.alerts.AlertSender;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.http.AdminAccess;
import io.offlinedetector.http.ApiServer;
import io.offlinedetector.progress.EndOffsetMonitor;
import io.offlinedetector.query.AssignmentCache;
import io.offlinedetector.query.RoutingFleetQueries;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import io.offlinedetector.topology.DetectorTopology;
import io.offlinedetector.topology.DeviceChangeListener;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.Rerouting;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Composition root of one instance: config → topics → topology → Kafka Streams → HTTP API. */
public final class App implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    /** Long enough for the admin client to give up its pending calls, short enough that start-up fails promptly. */
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final ApiServer http;
    private final RoutingFleetQueries fleet;
    private final MetricsAndLiveFeed metricsAndFeed;
    private final URI url;
    private final Admin admin;
    private final EndOffsetMonitor progress;
    private final KafkaDeviceRemoval removal;
    /** The Alertmanager client, or {@code null} when no Alertmanager is set. */
    private final AlertSender alerts;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private App(KafkaStreams streams, ApiServer http, RoutingFleetQueries fleet, MetricsAndLiveFeed metricsAndFeed, URI url, Admin admin,
            EndOffsetMonitor progress, KafkaDeviceRemoval removal, AlertSender alerts) {
        this.streams = streams;
        this.http = http;
        this.fleet = fleet;
        this.metricsAndFeed = metricsAndFeed;
        this.url = url;
        this.admin = admin;
        this.progress = progress;
        this.removal = removal;
        this.alerts = alerts;
    }

    /**
     * Creates missing topics, binds the HTTP port and starts stream processing. Returns once
     * started; {@link #ready()} says when queries can be served.
     *
     * @throws io.offlinedetector.config.StartupException when the HTTP port, Kafka or the topics are not usable
     */
    public static App start(DetectorConfig config) {
        // The port first: a taken port is refused at once, without waiting for Kafka.
        ApiServer http = ApiServer.bind(config.httpBind(), config.httpPort());
        Admin admin;
        try {
            admin = ensureTopics(config);
        } catch (RuntimeException e) {
            http.stop();
            throw e;
        }
        URI advertised = config.advertisedUrl() != null ? config.advertisedUrl() : URI.create("http://127.0.0.1:" + http.port());
        int partitions = TopicDefinition.heartbeats().partitions();
        Rerouting rerouting = Rerouting.of(config.applicationId(), partitions);
        EndOffsetMonitor progress = new EndOffsetMonitor(admin, config.applicationId(), Names.HEARTBEATS_TOPIC, rerouting,
                partitions, EndOffsetMonitor.INTERVAL, config.stallGuard(), System::currentTimeMillis);
        AlertSender alerts = config.alerts().enabled() ? AlertSender.to(config.alerts(), advertised) : null;
        KafkaStreams streams = new KafkaStreams(
                DetectorTopology.build(config.detection(), progress, rerouting, alerts != null ? alerts : DeviceChangeListener.NONE),
                KafkaProperties.streams(config, advertised));
        // Any instance answers for any device: its own stores, or the owner's, or all instances'.
        AssignmentCache assignments = new AssignmentCache(streams);
        RoutingFleetQueries fleet = RoutingFleetQueries.over(streams, new HostInfo(advertised.getHost(), advertised.getPort()), assignments,
                config.detection().flapping());
        MetricsAndLiveFeed metricsAndFeed;
        try {
            metricsAndFeed = MetricsAndLiveFeed.start(config, streams, fleet, progress, alerts);
        } catch (RuntimeException e) {
            http.stop();
            fleet.close();
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            admin.close(ADMIN_CLOSE_TIMEOUT);
            throw e;
        }
        KafkaDeviceRemoval removal = new KafkaDeviceRemoval(KafkaProperties.producer(config), partitions);
        App app = new App(streams, http, fleet, metricsAndFeed, advertised, admin, progress, removal, alerts);
        streams.setStateListener((now, before) -> {
            assignments.stateChanged();
            LOG.info("Stream processing {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                app.stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream processing failed; this instance stops so that a supervisor can restart it", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        http.start(fleet, metricsAndFeed.services(new AdminAccess(config.adminToken(), removal)));
        progress.start();
        streams.start();
        if (alerts != null) {
            alerts.start(streams, config.detection().flapping());
            LOG.info("Sending DeviceOffline alerts to {}", alerts.alertmanagers());
        }
        LOG.info("Offline Detector instance {} started: HTTP API on {}, advertised as {}",
                config.applicationId(), http.address(), advertised);
        return app;
    }

    /**
     * Creates the missing topics, giving up after the start-up timeout with one line.
     *
     * @return the admin client, kept for the input-progress monitor
     */
    private static Admin ensureTopics(DetectorConfig config) {
        Admin admin = createAdmin(config);
        try {
            new TopicManager(admin, config.bootstrapServers(), config.startupTimeout()).ensure(TopicDefinition.forApplication(config.applicationId()));
            StreamsGroupStandbys.apply(admin, config, config.startupTimeout());
            return admin;
        } catch (RuntimeException e) {
            // close() would otherwise wait for calls still retrying against an unreachable broker
            admin.close(ADMIN_CLOSE_TIMEOUT);
            throw e;
        }
    }

    /**
     * A client that cannot even be created, say from a malformed {@code sasl.jaas.config} or an
     * unknown {@code security.protocol}, is bad configuration: one line, not a stack trace.
     */
    private static Admin createAdmin(DetectorConfig config) {
        try {
            return Admin.create(KafkaProperties.admin(config));
        } catch (KafkaException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ");
            throw new StartupException("cannot create a Kafka client from the configuration: " + reason, e);
        }
    }

    public URI url() {
        return url;
    }

    public int httpPort() {
        return http.port();
    }

    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Blocks until stream processing stops (closed, or failed). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving HTTP, then closes stream processing, committing what was processed. */
    @Override
    public void close() {
        if (alerts != null) {
            alerts.close();
        }
        metricsAndFeed.close();
        http.stop();
        fleet.close();
        // Leaving the group hands the partitions over at once, instead of after the session timeout;
        // a restarted instance then rejoins without waiting out its own old membership.
        CloseOptions options = CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        if (!streams.close(options)) {
            LOG.warn("Stream processing did not close within {}", CLOSE_TIMEOUT);
        }
        progress.close();
        removal.close();
        admin.close(ADMIN_CLOSE_TIMEOUT);
        stopped.countDown();
        LOG.info("Offline Detector instance stopped");
    }
}
