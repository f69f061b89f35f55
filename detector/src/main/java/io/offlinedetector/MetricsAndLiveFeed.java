package io.offlinedetector;

import io.micrometer.core.instrument.Tags;
import io.offlinedetector.alerts.AlertSender;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.feed.StatusTail;
import io.offlinedetector.http.LiveEvents;
import io.offlinedetector.http.AdminAccess;
import io.offlinedetector.http.OperatorServices;
import io.offlinedetector.http.PartialAnswers;
import io.offlinedetector.metrics.InstanceMeters;
import io.offlinedetector.query.FleetQueries;
import io.offlinedetector.topology.InputProgress;
import io.offlinedetector.topology.Names;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an instance offers the people who run the fleet, beside the device API: its metrics
 * ({@code GET /metrics}) and the live feed of status events behind the dashboard
 * ({@code GET /events}). Started and closed with {@link App}; {@link #services} hands both, with
 * the admin endpoints, to the HTTP API's operator routes.
 *
 * <p>One reader of {@code device-status} per instance, so that every instance's dashboard shows the
 * whole fleet.
 */
final class MetricsAndLiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsAndLiveFeed.class);

    private final InstanceMeters meters;
    private final LiveEvents events;
    private final StatusTail tail;

    private MetricsAndLiveFeed(InstanceMeters meters, LiveEvents events, StatusTail tail) {
        this.meters = meters;
        this.events = events;
        this.tail = tail;
    }

    /**
     * Binds the metrics and starts following {@code device-status} from its end; returns once following.
     *
     * @param progress what the instance knows of its input, for the ingestion-stall gauge
     * @param alerts the Alertmanager client, or {@code null} when no Alertmanager is set
     */
    static MetricsAndLiveFeed start(DetectorConfig config, KafkaStreams streams, FleetQueries fleet, InputProgress progress,
            AlertSender alerts) {
        InstanceMeters meters = new InstanceMeters();
        meters.bind(streams);
        meters.deviceCounts(fleet.localOnly()::countsBy, config.metricsGroups());
        meters.ingestionStall(progress::stall);
        meters.partialAnswers(PartialAnswers.ROUTES);
        if (alerts != null) {
            alertMeters(meters, alerts);
        }
        LiveEvents events = new LiveEvents(fleet::stats);
        meters.gauge("offline.detector.dashboard.clients", "browsers following the live feed", events::clients);
        meters.counter("offline.detector.dashboard.dropped.events", "events a browser missed because it read too slowly",
                events::droppedEvents);
        StatusTail tail;
        try {
            tail = StatusTail.start(KafkaProperties.statusFeed(config), StatusTail.From.END, new Feed(events), config.startupTimeout());
        } catch (RuntimeException e) {
            events.close();
            meters.close();
            throw e;
        }
        LOG.info("Live feed following {} for the dashboard", Names.STATUS_TOPIC);
        return new MetricsAndLiveFeed(meters, events, tail);
    }

    private static void alertMeters(InstanceMeters meters, AlertSender alerts) {
        for (URI url : alerts.alertmanagers()) {
            Tags tags = Tags.of("url", url.toString());
            meters.counter("offline.detector.alertmanager.alerts.sent", "alerts, firing and resolved, this Alertmanager took", tags,
                    () -> alerts.sentAlerts(url));
            meters.counter("offline.detector.alertmanager.send.failures", "posts to this Alertmanager that failed, each retry counted", tags,
                    () -> alerts.failedPosts(url));
            meters.counter("offline.detector.alertmanager.dropped.alerts",
                    "alerts never posted to this Alertmanager: pushed out while it failed, or rejected by it", tags, () -> alerts.droppedAlerts(url));
        }
    }

    /** What the operator routes serve: the live feed, the metrics, the request timer, {@code admin}, and the partial answers' count. */
    OperatorServices services(AdminAccess admin) {
        return new OperatorServices(events,
                () -> new OperatorServices.Scrape(InstanceMeters.CONTENT_TYPE, meters.scrape().getBytes(StandardCharsets.UTF_8)),
                meters::recordRequest,
                admin,
                meters::recordPartialAnswer);
    }

    @Override
    public void close() {
        tail.close();
        events.close();
        meters.close();
    }

    /** Hands every status event to the live feed; problems are logged, once each, and following goes on. */
    private record Feed(LiveEvents events) implements StatusTail.Listener {

        @Override
        public void onEvent(StatusChange change) {
            events.publish(change);
        }

        /** The live feed shows transitions; a removal is none (the device's counts change through /stats). */
        @Override
        public void onRemoved(String deviceId, long removedAt) {}

        @Override
        public void onUnreadable(String where, String problem) {
            LOG.warn("Live feed skipped an unreadable status event at {}: {}", where, problem);
        }

        @Override
        public void onFailure(RuntimeException failure) {
            LOG.error("Live feed stopped; the dashboard shows no more transitions until restart", failure);
        }
    }
}
