package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.offlinedetector.App;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.DetectorProcess;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.HttpJson.Reply;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of one application on one real broker: two in this JVM and one in its own JVM,
 * which is killed (SIGKILL: no shutdown hook, no leaving the group) while heartbeats go on. The
 * steps run in order, each a behaviour of docs/design.md, 'Transitions', and docs/http-api.md under
 * scale-out and failover.
 *
 * <p>{@code -Dod.it.group.protocol=streams} runs the same story on the KIP-1071 streams protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    private static final String PROTOCOL = System.getProperty("od.it.group.protocol", "classic");
    private static final int PARTITIONS = 12;
    private static final Duration START_WAIT = Duration.ofSeconds(120);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);
    private static final long STOPPER_TIMEOUT_MS = 5_000;
    /**
     * Shorter than the failover takes: a task that resumes elsewhere must not judge keepers before it
     * has read the heartbeats sent during the handover (docs/design.md, 'The detector's clock').
     */
    private static final long KEEPER_TIMEOUT_MS = Long.getLong("od.it.keeper.timeout.ms", 6_000);
    private static final int NEWCOMERS = 40;
    /** The group each kind of device names in its heartbeats, so that the counts by group can be checked after the crash. */
    private static final String KEEPERS = "keepers";
    private static final String STOPPERS = "stoppers";
    private static final String NEWCOMERS_GROUP = "newcomers";

    private final List<String> keepers = new ArrayList<>();
    private final List<String> stoppers = new ArrayList<>();
    /** Devices whose first heartbeat is sent around the crash, so that status events are in flight when it comes. */
    private final List<String> newcomers = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastBeat = new ConcurrentHashMap<>();
    private volatile boolean stoppersBeat = true;

    private Path dir;
    private KafkaBroker broker;
    private String applicationId;
    private Path kafkaProperties;
    private final List<App> apps = new CopyOnWriteArrayList<>();
    private DetectorProcess victim;
    private KafkaProducer<String, String> producer;
    private ScheduledExecutorService heartbeats;
    private TopicTail statuses;
    private List<Integer> victimPartitions = List.of();

    @BeforeAll
    void startThreeInstances(@TempDir Path dir) throws Exception {
        this.dir = dir;
        broker = KafkaBroker.start(Map.of(
                // A crashed instance's open transaction blocks its partitions until the broker aborts
                // it; the default sweep runs every 10 s.
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
                // The streams protocol's session timeout lives on the broker; its floor is 45 s by default.
                "group.streams.min.session.timeout.ms", "6000",
                "group.streams.session.timeout.ms", "6000",
                "group.streams.min.heartbeat.interval.ms", "1000",
                "group.streams.heartbeat.interval.ms", "1500",
                "group.streams.initial.rebalance.delay.ms", "0"));
        applicationId = "scale-out-it-" + UUID.randomUUID();
        kafkaProperties = dir.resolve("kafka.properties");
        Files.writeString(kafkaProperties, String.join("\n",
                // Partitions a crashed instance was writing to stay blocked until its open transaction
                // times out: Kafka Streams' default of 10 s unless -Dod.it.transaction.timeout.ms says otherwise.
                "producer.transaction.timeout.ms=" + System.getProperty("od.it.transaction.timeout.ms", "10000"),
                PROTOCOL.equals("streams")
                        ? "group.protocol=streams"
                        // Classic protocol: the member's own session timeout decides how soon a crash is noticed.
                        : "group.protocol=classic\nsession.timeout.ms=6000\nheartbeat.interval.ms=1500",
                ""));
        victim = DetectorProcess.start(DetectorProcess.freePort(), dir.resolve("victim.log"), options("victim"));
        apps.add(startInProcess("a"));
        apps.add(startInProcess("b"));
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> everyInstanceReady() && instances(apps.get(0).url().toString()).size() == 3);

        for (int i = 0; i < 40; i++) {
            keepers.add("keeper-" + i + "-" + UUID.randomUUID().toString().substring(0, 8));
        }
        for (int i = 0; i < 20; i++) {
            stoppers.add("stopper-" + i + "-" + UUID.randomUUID().toString().substring(0, 8));
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(this::beat, 0, 1, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (statuses != null) {
            statuses.close();
        }
        if (victim != null) {
            victim.close();
        }
        apps.forEach(App::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void everyDeviceAnswersFromEveryInstance() {
        List<String> urls = urls();
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String url : urls) {
                for (String device : devices()) {
                    Reply reply = HttpJson.get(url, "/devices/" + device);
                    assertThat(reply.status()).as("GET %s/devices/%s: %s", url, device, reply.body()).isEqualTo(200);
                    assertThat(reply.body().get("deviceId").asText()).isEqualTo(device);
                    assertThat(reply.servedBy()).isIn(urls);
                }
            }
        });
        // Two thirds of the devices live elsewhere, so some answers were forwarded.
        Set<String> servers = new HashSet<>();
        devices().forEach(device -> servers.add(HttpJson.get(urls.get(0), "/devices/" + device).servedBy()));
        assertThat(servers).containsExactlyInAnyOrderElementsOf(urls);
    }

    @Test
    @Order(2)
    void listsAndCountsCoverEveryInstanceAndPageInUtf8Order() {
        for (String url : urls()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode stats = HttpJson.get(url, "/stats").body();
                assertThat(stats.has("partial")).as("stats from %s: %s", url, stats).isFalse();
                assertThat(stats.get("total").asLong()).isEqualTo(devices().size());
            });
            List<String> ids = new ArrayList<>();
            String after = null;
            for (int page = 0; page < 20; page++) {
                String query = "/devices?limit=7" + (after == null ? "" : "&after=" + after);
                JsonNode body = HttpJson.get(url, query).body();
                assertThat(body.has("partial")).as("%s%s: %s", url, query, body).isFalse();
                body.get("devices").forEach(device -> ids.add(device.get("deviceId").asText()));
                after = body.get("next").isNull() ? null : body.get("next").asText();
                if (after == null) {
                    break;
                }
            }
            assertThat(after).as("paging ended").isNull();
            List<String> expected = new ArrayList<>(devices());
            expected.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
            assertThat(ids).as("every device once, in UTF-8 order, from %s", url).containsExactlyElementsOf(expected);
        }
    }

    @Test
    @Order(3)
    void instancesListEveryInstanceWithItsActiveAndStandbyPartitions() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode instances = instances(apps.get(0).url().toString());
            assertThat(instances).hasSize(3);
            List<Integer> active = new ArrayList<>();
            List<Integer> standby = new ArrayList<>();
            for (JsonNode instance : instances) {
                List<Integer> mine = ints(instance.get("activePartitions"));
                List<Integer> copies = ints(instance.get("standbyPartitions"));
                assertThat(mine).as("no instance is both active and standby for a partition").doesNotContainAnyElementsOf(copies);
                active.addAll(mine);
                standby.addAll(copies);
            }
            assertThat(active).as("each partition active once").containsExactlyInAnyOrderElementsOf(allPartitions());
            assertThat(standby).as("each partition has one standby").containsExactlyInAnyOrderElementsOf(allPartitions());
            assertThat(instances.findValuesAsText("url")).contains(victim.url());
        });
        for (JsonNode instance : instances(apps.get(0).url().toString())) {
            if (instance.get("url").asText().equals(victim.url())) {
                victimPartitions = ints(instance.get("activePartitions"));
            }
        }
        assertThat(victimPartitions).as("the instance to be killed processes partitions").isNotEmpty();
    }

    @Test
    @Order(4)
    void survivorsAnswerForEveryDeviceWithin30SecondsOfAHardKill() throws Exception {
        assertThat(devices().stream().filter(d -> victimPartitions.contains(partitionOf(d))).count())
                .as("the killed instance owns devices").isPositive();
        stoppersBeat = false;
        producer.flush();
        startNewcomers();
        await().atMost(Duration.ofSeconds(10)).until(() -> newcomers.size() >= NEWCOMERS / 2);

        long killedAt = System.nanoTime();
        victim.kill();
        List<String> survivors = urls();
        // Prints how the answers change while the survivors take over: which statuses, how many.
        String[] last = {""};
        List<String> silentOmissions = new CopyOnWriteArrayList<>();
        await().atMost(FAILOVER_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> {
            silentOmissions.addAll(countsThatOmitDevicesSilently(survivors));
            Map<Integer, Long> statuses = answersFrom(survivors);
            String line = new java.util.TreeMap<>(statuses).toString();
            if (!line.equals(last[0])) {
                System.out.printf("FAILOVER +%5d ms: statuses of device lookups on the survivors %s%n",
                        Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), line);
                last[0] = line;
            }
            return statuses.keySet().equals(Set.of(200));
        });
        Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("FAILOVER (%s protocol): every device answered again from both survivors %d ms after the kill%n",
                PROTOCOL, failover.toMillis());
        assertThat(silentOmissions).as("counts during the handover are complete or say they are partial").isEmpty();
    }

    @Test
    @Order(5)
    void devicesThatStopAreReportedOfflineExactlyOnceAtTheirDeadline() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String device : stoppers) {
                assertThat(eventsOf(device)).as(device).extracting(StatusChange::sequence).contains(2L);
            }
        });
        for (String device : stoppers) {
            StatusChange offline = eventsOf(device).stream().filter(c -> c.sequence() == 2).findFirst().orElseThrow();
            assertThat(offline.status()).isEqualTo(Status.OFFLINE);
            assertThat(offline.reason()).isEqualTo(Reason.TIMEOUT);
            assertThat(offline.changedAt()).as("deadline of %s", device).isEqualTo(lastBeat.get(device) + STOPPER_TIMEOUT_MS);
        }
    }

    @Test
    @Order(6)
    void aReplacementInstanceJoinsAndAnswersForEveryDevice() {
        App replacement = startInProcess("replacement");
        apps.add(replacement);
        String url = replacement.url().toString();
        await().atMost(START_WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode instances = instances(url);
            assertThat(instances.findValuesAsText("url")).containsExactlyInAnyOrderElementsOf(urls());
            for (JsonNode instance : instances) {
                assertThat(ints(instance.get("activePartitions"))).as("%s has work", instance.get("url")).isNotEmpty();
            }
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> everyDeviceAnswersFrom(urls()));
    }

    @Test
    @Order(7)
    void devicesThatKeepBeatingAreNeverReportedOfflineAndNoEventIsRepeated() {
        List<String> beating = new ArrayList<>(keepers);
        beating.addAll(newcomers);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String device : beating) {
                assertThat(eventsOf(device)).as(device).isNotEmpty();
            }
        });
        for (String device : beating) {
            assertThat(eventsOf(device)).as("events of %s, which never stopped beating", device)
                    .extracting(StatusChange::status).containsExactly(Status.ONLINE);
        }
        for (String device : stoppers) {
            assertThat(eventsOf(device)).as("events of %s", device).extracting(StatusChange::sequence).containsExactly(1L, 2L);
        }
        Map<String, Long> pairs = statuses.records().stream()
                .map(r -> StatusChangeJson.read(r.value()))
                .collect(Collectors.groupingBy(c -> c.deviceId() + "#" + c.sequence(), Collectors.counting()));
        assertThat(pairs.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("(deviceId, sequence) pairs seen more than once on the read_committed topic").isEmpty();
    }

    /**
     * The counts live in memory beside each store and are saved only at a clean close: after the
     * kill (the victim's tasks restored or promoted from standbys) and the replacement's rebalance,
     * every instance still counts each group exactly, the fleet's total and worst first included.
     */
    @Test
    @Order(8)
    void countsByGroupAreExactFromEveryInstanceAfterTheKillAndTheReplacement() {
        int online = keepers.size() + newcomers.size();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String url : urls()) {
                JsonNode stats = HttpJson.get(url, "/stats").body();
                assertThat(stats.has("partial")).as("stats from %s: %s", url, stats).isFalse();
                assertThat(stats.get("online").asLong()).as("online from %s", url).isEqualTo(online);
                assertThat(stats.get("offline").asLong()).as("offline from %s", url).isEqualTo(stoppers.size());
                JsonNode worstFirst = HttpJson.get(url, "/stats?by=group&sort=offline&limit=10").body();
                assertThat(worstFirst.has("partial")).as("counts by group from %s: %s", url, worstFirst).isFalse();
                assertThat(countsOf(worstFirst)).as("counts by group from %s", url).containsExactly(
                        STOPPERS + " 0/" + stoppers.size(), KEEPERS + " " + keepers.size() + "/0", NEWCOMERS_GROUP + " " + newcomers.size() + "/0");
            }
        });
    }

    /** Each group of a counts answer as "key online/offline", in the answer's order. */
    private static List<String> countsOf(JsonNode answer) {
        List<String> counts = new ArrayList<>();
        answer.get("groups").forEach(group -> counts.add(group.get("key").asText() + " " + group.get("online").asLong() + "/"
                + group.get("offline").asLong()));
        return counts;
    }

    // ------------------------------------------------------------------------------------ helpers

    private App startInProcess(String name) {
        return DetectorApps.startWithProductTimeouts(broker, applicationId, dir.resolve("state-" + name), kafkaProperties);
    }

    private List<String> options(String name) {
        return List.of(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--application-id", applicationId,
                "--state-dir", dir.resolve("state-" + name).toString(),
                "--check-interval", "500ms",
                "--config", kafkaProperties.toString());
    }

    private void beat() {
        long now = System.currentTimeMillis();
        for (String device : keepers) {
            send(device, KEEPERS, KEEPER_TIMEOUT_MS, now);
        }
        for (String device : newcomers) {
            send(device, NEWCOMERS_GROUP, KEEPER_TIMEOUT_MS, now);
        }
        if (stoppersBeat) {
            for (String device : stoppers) {
                send(device, STOPPERS, STOPPER_TIMEOUT_MS, now);
            }
        }
    }

    private void send(String device, String group, long timeoutMs, long now) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, now, device,
                        "{\"timeoutMs\":" + timeoutMs + ",\"group\":\"" + group + "\"}"),
                (metadata, e) -> {
                    if (e == null) {
                        lastBeat.merge(device, now, Math::max);
                    }
                });
    }

    /** A new device every 100 ms for 4 s from now: first heartbeats, and so ONLINE events, cross the crash. */
    private void startNewcomers() {
        for (int i = 0; i < NEWCOMERS; i++) {
            String device = "newcomer-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            heartbeats.schedule(() -> {
                newcomers.add(device);
                send(device, NEWCOMERS_GROUP, KEEPER_TIMEOUT_MS, System.currentTimeMillis());
            }, 100L * i, TimeUnit.MILLISECONDS);
        }
    }

    /** Counts from {@code urls} that leave known devices out without saying they are partial. */
    private List<String> countsThatOmitDevicesSilently(List<String> urls) {
        List<String> omissions = new ArrayList<>();
        for (String url : urls) {
            Reply stats = HttpJson.get(url, "/stats");
            if (stats.status() == 200 && !stats.body().has("partial") && stats.body().get("total").asLong() < devices().size()) {
                omissions.add(url + " counted " + stats.body());
            }
        }
        return omissions;
    }

    /** HTTP status → how many device lookups got it, asking every instance in {@code urls} for every device. */
    private Map<Integer, Long> answersFrom(List<String> urls) {
        List<Integer> statuses = new ArrayList<>();
        for (String url : urls) {
            for (String device : devices()) {
                int status = HttpJson.get(url, "/devices/" + device).status();
                if (status == 404) {
                    // A known device must never look unknown; printed (not failed) until the handover is fully understood.
                    System.out.printf("FAILOVER unexpected 404 from %s for %s (partition %d); instances now: %s%n", url, device,
                            partitionOf(device), HttpJson.get(url, "/instances").body());
                }
                statuses.add(status);
            }
        }
        return statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
    }

    private boolean everyDeviceAnswersFrom(List<String> urls) {
        for (String url : urls) {
            for (String device : devices()) {
                if (HttpJson.get(url, "/devices/" + device).status() != 200) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean everyInstanceReady() {
        if (!victim.isAlive()) {
            throw new IllegalStateException("the separate instance exited:\n" + victim.output());
        }
        return HttpJson.get(victim.url(), "/ready").status() == 200 && apps.stream().allMatch(App::ready);
    }

    private List<String> devices() {
        List<String> all = new ArrayList<>(keepers);
        all.addAll(stoppers);
        return all;
    }

    /** The URLs of the running instances. */
    private List<String> urls() {
        List<String> urls = new ArrayList<>();
        apps.forEach(app -> urls.add(app.url().toString()));
        if (victim.isAlive()) {
            urls.add(victim.url());
        }
        return urls;
    }

    private static JsonNode instances(String url) {
        Reply reply = HttpJson.get(url, "/instances");
        return reply.status() == 200 ? reply.body().get("instances") : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private List<StatusChange> eventsOf(String device) {
        return statuses.records().stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(device))
                .map(r -> StatusChangeJson.read(r.value()))
                .toList();
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asInt()));
        return values;
    }

    private static List<Integer> allPartitions() {
        return new ArrayList<>(new TreeSet<>(java.util.stream.IntStream.range(0, PARTITIONS).boxed().toList()));
    }

    private static int partitionOf(String device) {
        return Utils.toPositive(Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
