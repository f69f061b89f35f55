package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.Alertmanager;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.DetectorProcess;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.Tool;
import io.offlinedetector.testing.WebhookReceiver;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import io.offlinedetector.topology.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
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

/**
 * The detector's alerts in a real Alertmanager (Debian's package, on loopback) with a webhook
 * receiver of the test's own: devices that stop fire {@code DeviceOffline}, devices that beat again
 * resolve, a silence mutes a group, a flapping device is flagged, and after a kill -9 the surviving
 * instance keeps the alerts of the partitions it takes over firing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertmanagerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Short, so that a firing alert not sent again would end within 8 s (four resends). */
    private static final String RESEND = "2s";
    private static final long RESEND_MS = 2_000;

    private KafkaBroker broker;
    private WebhookReceiver receiver;
    private Alertmanager alertmanager;
    private KafkaProducer<String, String> producer;
    private App detector;
    private final String prefix = "alerted-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Tool.ALERTMANAGER.requireInstalled();
        broker = KafkaBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            new TopicManager(admin, broker.bootstrapServers(), WAIT).ensure(TopicDefinition.all());
        }
        receiver = new WebhookReceiver();
        alertmanager = Alertmanager.notifying(dir.resolve("alertmanager"), receiver.url());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
        detector = DetectorApps.start(broker, "alerts-it-" + UUID.randomUUID(), dir.resolve("state"), Map.of(
                Setting.ALERTMANAGER_URL, alertmanager.url(),
                Setting.ALERTMANAGER_RESEND_INTERVAL, RESEND,
                Setting.FLAPPING_TRANSITIONS, "4",
                Setting.FLAPPING_WINDOW, "10m"));
        await().atMost(WAIT).until(detector::ready);
    }

    @AfterAll
    void stop() throws Exception {
        if (detector != null) {
            detector.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void beat(String deviceId, String body) throws Exception {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, deviceId, body)).get();
    }

    /** Waits until the device's state is {@code status} with this transition count. */
    private void awaitStatus(String url, String deviceId, String status, long sequence) {
        await().atMost(WAIT).until(() -> {
            HttpJson.Reply reply = HttpJson.get(url, "/devices/" + deviceId);
            return reply.status() == 200 && reply.body().path("status").asText().equals(status) && reply.body().path("sequence").asLong() == sequence;
        });
    }

    @Test
    void devicesThatStopFireWithTheirLabelsAndResolveWhenTheyBeatAgain() throws Exception {
        String pump = prefix + "pump";
        String bare = prefix + "bare";
        beat(pump, "{\"timeoutMs\":1000,\"deviceType\":\"pump\",\"group\":\"site-1\"}");
        beat(bare, "{\"timeoutMs\":1000}");

        await().atMost(WAIT).until(() -> alertmanager.alertOf(pump) != null && alertmanager.alertOf(bare) != null);
        JsonNode alert = alertmanager.alertOf(pump);
        assertThat(alert.path("labels").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("alertname", "device", "device_type", "group", "flapping");
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("DeviceOffline");
        assertThat(alert.path("labels").path("device_type").asText()).isEqualTo("pump");
        assertThat(alert.path("labels").path("group").asText()).isEqualTo("site-1");
        assertThat(alert.path("labels").path("flapping").asText()).isEqualTo("false");
        assertThat(alert.path("status").path("state").asText()).isEqualTo("active");
        JsonNode device = HttpJson.get(detector.url().toString(), "/devices/" + pump).body();
        assertThat(Instant.parse(alert.path("startsAt").asText())).isEqualTo(Instant.parse(device.path("since").asText()));
        assertThat(Instant.parse(alert.path("annotations").path("offlineSince").asText())).isEqualTo(Instant.parse(device.path("since").asText()));
        assertThat(Instant.parse(alert.path("annotations").path("lastSeen").asText())).isEqualTo(Instant.parse(device.path("lastSeen").asText()));
        assertThat(alertmanager.alertOf(bare).path("labels").has("group")).as("no group, no label").isFalse();
        assertThat(alertmanager.alertOf(bare).path("labels").has("device_type")).isFalse();
        await().atMost(WAIT).until(() -> receiver.notified(pump, "firing") && receiver.notified(bare, "firing"));

        beat(pump, "{\"timeoutMs\":60000,\"deviceType\":\"pump\",\"group\":\"site-1\"}");

        await().atMost(WAIT).until(() -> receiver.notified(pump, "resolved"));
        await().atMost(WAIT).until(() -> alertmanager.alertOf(pump) == null);
        assertThat(alertmanager.alertOf(bare)).as("still offline, still firing").isNotNull();
    }

    @Test
    void aDeviceBackUnderAnotherGroupIsResolvedUnderTheGroupItFiredWith() throws Exception {
        String mover = prefix + "mover";
        beat(mover, "{\"timeoutMs\":1000,\"group\":\"site-1\"}");
        await().atMost(WAIT).until(() -> receiver.notified(mover, "firing"));
        Instant firingEndsAt = Instant.parse(alertmanager.alertOf(mover).path("endsAt").asText());

        beat(mover, "{\"timeoutMs\":60000,\"group\":\"site-2\"}");

        await().atMost(WAIT).until(() -> alertmanager.alertOf(mover) == null && receiver.notified(mover, "resolved"));
        WebhookReceiver.Notified resolved = receiver.notified().stream()
                .filter(n -> mover.equals(n.label("device")) && n.status().equals("resolved")).findFirst().orElseThrow();
        assertThat(resolved.label("group")).isEqualTo("site-1");
        // Ended by a resolve, not left to expire at the endsAt of its last firing send.
        assertThat(resolved.endsAt()).isBefore(firingEndsAt);
    }

    @Test
    void aSilenceOnAGroupSuppressesANewAlertOfThatGroup() throws Exception {
        String maintained = prefix + "in-maintenance";
        String control = prefix + "control";
        String silence = alertmanager.silence("group=" + prefix + "site-7", Duration.ofHours(1));
        assertThat(silence).as("amtool prints the silence's id").isNotBlank();

        beat(maintained, "{\"timeoutMs\":1000,\"group\":\"" + prefix + "site-7\"}");
        beat(control, "{\"timeoutMs\":1000,\"group\":\"" + prefix + "site-8\"}");

        await().atMost(WAIT).until(() -> alertmanager.alertOf(maintained) != null && receiver.notified(control, "firing"));
        JsonNode muted = alertmanager.alertOf(maintained);
        assertThat(muted.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(muted.path("status").path("silencedBy")).extracting(JsonNode::asText).containsExactly(silence);
        assertThat(receiver.notified(maintained, "firing")).as("the receiver never hears of the silenced group").isFalse();
    }

    @Test
    void aFlappingDeviceIsFlagged() throws Exception {
        String url = detector.url().toString();
        String flappy = prefix + "flappy";
        // flapping.transitions=4 here: the 5th transition is the 4th that counts (the first, appearing, does not)
        for (long sequence = 1; sequence <= 5; sequence += 2) {
            beat(flappy, "{\"timeoutMs\":1000,\"group\":\"site-9\"}");
            awaitStatus(url, flappy, "ONLINE", sequence);
            awaitStatus(url, flappy, "OFFLINE", sequence + 1);
        }

        await().atMost(WAIT).until(() -> {
            JsonNode alert = alertmanager.alertOf(flappy);
            return alert != null && alert.path("labels").path("flapping").asText().equals("true");
        });
        assertThat(HttpJson.get(url, "/devices/" + flappy).body().path("flapping").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> receiver.notified().stream()
                .anyMatch(n -> flappy.equals(n.label("device")) && "true".equals(n.label("flapping")) && n.status().equals("firing")));
        // the calm OFFLINE episodes before were resolved under their own labels
        await().atMost(WAIT).until(() -> receiver.notified().stream()
                .anyMatch(n -> flappy.equals(n.label("device")) && "false".equals(n.label("flapping")) && n.status().equals("resolved")));
    }

    @Test
    void afterAKillTheSurvivorKeepsTheMovedPartitionsAlertsFiring(@TempDir Path dir) throws Exception {
        // An Alertmanager of its own: the class's detector reads the same heartbeats and would send these devices' alerts too.
        try (Alertmanager own = Alertmanager.notifying(dir.resolve("alertmanager"), receiver.url())) {
            killOneOfTwo(own, dir);
        }
    }

    private void killOneOfTwo(Alertmanager own, Path dir) throws Exception {
        String applicationId = "alerts-failover-it-" + UUID.randomUUID();
        String devicePrefix = prefix + "fleet-";
        List<String> options = List.of(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--application-id", applicationId,
                "--check-interval", "500ms",
                "--alertmanager-url", own.url(),
                "--alertmanager-resend-interval", RESEND);
        int portA = DetectorProcess.freePort();
        int portB = DetectorProcess.freePort();
        try (DetectorProcess a = DetectorProcess.start(portA, dir.resolve("a.log"), withState(options, dir.resolve("a")));
                DetectorProcess b = DetectorProcess.start(portB, dir.resolve("b.log"), withState(options, dir.resolve("b")))) {
            await().atMost(WAIT).ignoreExceptions().until(() -> HttpJson.get(a.url(), "/ready").status() == 200
                    && HttpJson.get(b.url(), "/ready").status() == 200
                    && HttpJson.get(a.url(), "/instances").body().path("instances").size() == 2);
            List<String> fleet = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                fleet.add(devicePrefix + i);
                beat(devicePrefix + i, "{\"timeoutMs\":1000,\"group\":\"site-failover\"}");
            }
            await().atMost(WAIT).until(() -> fleet.stream().allMatch(id -> present(own, id)));
            Set<String> sentByB = new TreeSet<>();
            for (String id : fleet) {
                if (own.alertOf(id).path("generatorURL").asText().startsWith(b.url() + "/")) {
                    sentByB.add(id);
                }
            }
            assertThat(sentByB).as("both instances own some of the fleet").isNotEmpty().hasSizeLessThan(fleet.size());

            b.kill(); // kill -9
            long killedAt = System.currentTimeMillis();

            // Sent again after the kill, by a, and firing: an alert only b had sent would end 4 resends after b's last send.
            await().atMost(WAIT).until(() -> fleet.stream().allMatch(id -> sentAfter(own, id, a.url(), killedAt)));
            for (String id : fleet) {
                assertThat(own.alertOf(id).path("status").path("state").asText()).as(id).isEqualTo("active");
            }
        }
    }

    private static List<String> withState(List<String> options, Path stateDir) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("--state-dir", stateDir.toString()));
        return all;
    }

    private static boolean present(Alertmanager alertmanager, String deviceId) {
        try {
            return alertmanager.alertOf(deviceId) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether the device's held alert was last sent by {@code instanceUrl} after {@code at}: its endsAt is four resends after the send. */
    private static boolean sentAfter(Alertmanager alertmanager, String deviceId, String instanceUrl, long at) {
        try {
            JsonNode alert = alertmanager.alertOf(deviceId);
            return alert != null
                    && alert.path("generatorURL").asText().startsWith(instanceUrl + "/")
                    && Instant.parse(alert.path("endsAt").asText()).toEpochMilli() > at + 4 * RESEND_MS;
        } catch (Exception e) {
            return false;
        }
    }
}
