package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.HeartbeatSender;
import io.offlinedetector.testing.HttpJson;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.Kcat;
import io.offlinedetector.testing.PrometheusText;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topology.DeadLetterHeaders;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One device is one device, whichever client its heartbeats came through: a real librdkafka client
 * (kcat, CRC32 partitioner) and Java's producer (murmur2) beat for the same devices, on two
 * detector instances. Every device is picked so that the two clients put it in different
 * partitions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MixedProducersIT {

    private static final long TIMEOUT_MS = 4_000;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration BEAT = Duration.ofSeconds(1);
    private static final String TOKEN = "mixed-" + UUID.randomUUID();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final int partitions = TopicDefinition.heartbeats().partitions();
    /** First heard of through kcat, then beating from Java only: the field report. */
    private final List<String> kcatThenJava = devices("kcat-then-java");
    /** First heard of through Java, then beating through kcat only. */
    private final List<String> javaThenKcat = devices("java-then-kcat");
    /** Beating through both all along. */
    private final List<String> both = devices("both");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KafkaBroker broker;
    private App first;
    private App second;
    private KafkaProducer<byte[], byte[]> producer;
    private TopicTail statuses;
    private TopicTail deadLetters;

    @BeforeAll
    void start(@TempDir Path stateDir) throws Exception {
        Kcat.requireInstalled();
        broker = KafkaBroker.start();
        String applicationId = "mixed-" + run;
        Map<Setting, String> settings = Map.of(Setting.ADMIN_TOKEN, TOKEN, Setting.STREAM_THREADS, "1");
        first = DetectorApps.start(broker, applicationId, stateDir.resolve("first"), settings);
        second = DetectorApps.start(broker, applicationId, stateDir.resolve("second"), settings);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        statuses = new TopicTail(broker.bootstrapServers(), Names.STATUS_TOPIC);
        deadLetters = new TopicTail(broker.bootstrapServers(), Names.DLQ_TOPIC);
        await().atMost(WAIT).until(() -> first.ready() && second.ready());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {statuses, deadLetters, producer, first, second, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** First: its counts are exact, so no other test's device is in them yet. */
    @Test
    @Order(1)
    void oneStateOneSequenceAndOneTimerPerDeviceWhateverClientSentItsHeartbeats() throws Exception {
        List<String> all = Stream.of(kcatThenJava, javaThenKcat, both).flatMap(List::stream).toList();
        assertThat(all).allSatisfy(device -> assertThat(Kcat.partitionOf(device, partitions)).isNotEqualTo(javaPartitionOf(device)));

        // Each device's first heartbeat, from one client or the other.
        Kcat.produce(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC, lines(concat(kcatThenJava, both), "{}"), WAIT);
        long kcatRecords = kcatThenJava.size() + both.size();
        for (String device : javaThenKcat) {
            producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, utf8(device), utf8("{}"))).get();
        }
        awaitEvents(all, 1);
        assertThat(all).allSatisfy(device ->
                assertThat(eventsOf(device)).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT));

        // Three timeouts of beating, each device through the client(s) of its group.
        long beatingSince = System.currentTimeMillis();
        AtomicLong kcatBeats = new AtomicLong();
        ScheduledExecutorService kcatLoop = Executors.newSingleThreadScheduledExecutor();
        try (HeartbeatSender java = new HeartbeatSender(broker.bootstrapServers(), concat(kcatThenJava, both), BEAT, WAIT)) {
            List<String> kcatBeating = concat(javaThenKcat, both);
            kcatLoop.scheduleWithFixedDelay(() -> {
                try {
                    Kcat.produce(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC, lines(kcatBeating, "{}"), Duration.ofSeconds(20));
                    kcatBeats.addAndGet(kcatBeating.size());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, BEAT.toMillis(), TimeUnit.MILLISECONDS);
            long until = beatingSince + 3 * TIMEOUT_MS;
            await().atMost(WAIT).until(() -> all.stream().allMatch(device -> lastSeen(first, device) >= until));

            assertThat(all).allSatisfy(device -> assertThat(eventsOf(device)).as("events of %s, which kept beating", device)
                    .extracting(StatusChange::status).containsExactly(Status.ONLINE));
            for (App app : List.of(first, second)) {
                HttpJson.Reply stats = HttpJson.get(app.url().toString(), "/stats");
                assertThat(stats.body().get("total").asLong()).isEqualTo(all.size());
                assertThat(stats.body().get("online").asLong()).isEqualTo(all.size());
                assertThat(stats.body().get("offline").asLong()).isZero();
            }
            for (String device : all) {
                HttpJson.Reply fromFirst = HttpJson.get(first.url().toString(), "/devices/" + device);
                HttpJson.Reply fromSecond = HttpJson.get(second.url().toString(), "/devices/" + device);
                assertThat(fromFirst.status()).isEqualTo(200);
                assertThat(fromFirst.body().get("status").asText()).isEqualTo("ONLINE");
                assertThat(fromSecond.body().get("sequence").asLong()).isEqualTo(1);
                assertThat(fromFirst.servedBy()).as("both instances find %s at its one owner", device).isEqualTo(fromSecond.servedBy());
            }
        } finally {
            kcatLoop.shutdown();
            assertThat(kcatLoop.awaitTermination(30, TimeUnit.SECONDS)).isTrue(); // the kcat run in progress has delivered
        }
        kcatRecords += kcatBeats.get();

        // Every client stops: exactly one OFFLINE each, and nothing else.
        awaitEvents(all, 2);
        awaitJudgedThroughNow();
        Set<String> deviceSequences = new HashSet<>();
        for (String device : all) {
            List<StatusChange> events = eventsOf(device);
            assertThat(events).extracting(StatusChange::sequence).containsExactly(1L, 2L);
            assertThat(events.get(1).status()).isEqualTo(Status.OFFLINE);
            assertThat(events.get(1).reason()).isEqualTo(Reason.TIMEOUT);
            events.forEach(event -> assertThat(deviceSequences.add(device + "#" + event.sequence())).isTrue());
        }
        HttpJson.Reply stats = HttpJson.get(second.url().toString(), "/stats");
        assertThat(stats.body().get("total").asLong()).isEqualTo(all.size() + 1); // and the marker
        assertThat(stats.body().get("offline").asLong()).isEqualTo(all.size() + 1);

        long expectedRerouted = kcatRecords;
        await().atMost(WAIT).until(() -> rerouted() >= expectedRerouted);
    }

    @Test
    @DisplayName("librdkafka with partitioner=murmur2_random, as the docs advise, puts each device in its owner's partition")
    void librdkafkaWithJavasPartitionerSparesTheHop() throws Exception {
        List<String> devices = devices("murmur2");
        try (TopicTail heartbeats = new TopicTail(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC)) {
            Kcat.produce(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC, lines(devices, "{}"), WAIT, List.of("partitioner=murmur2_random"));

            await().atMost(WAIT).until(() -> devices.stream().allMatch(device -> !heartbeats.matching(r -> device.equals(key(r))).isEmpty()));
            assertThat(devices).allSatisfy(device -> assertThat(heartbeats.matching(r -> device.equals(key(r))))
                    .extracting(ConsumerRecord::partition).containsOnly(javaPartitionOf(device)));
        }
        awaitEvents(devices, 1);
    }

    @Test
    void aBadRecordFromAnyClientIsDeadLetteredOnceWithWhereItArrived() throws Exception {
        String device = devices("dead-letter").get(0);
        Kcat.produce(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC, List.of(device + ":not json"), WAIT);

        await().atMost(WAIT).until(() -> !deadLettersOf(device).isEmpty());
        awaitJudgedThroughNow(); // a later record is through: a second dead letter would be there by now
        List<ConsumerRecord<byte[], byte[]>> dead = deadLettersOf(device);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo(Integer.toString(Kcat.partitionOf(device, partitions)));
    }

    @Test
    void aDeviceFirstHeardOfThroughKcatIsRemovedByItsOwner() throws Exception {
        String device = devices("removed").get(0);
        Kcat.produce(broker.bootstrapServers(), Names.HEARTBEATS_TOPIC, List.of(device + ":{}"), WAIT);
        awaitEvents(List.of(device), 1);

        HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(first.url() + "/devices/" + device))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(15)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).as(removed.body()).isBetween(200, 299);

        await().atMost(WAIT).until(() -> statuses.matching(r -> device.equals(key(r)) && r.value() == null).size() == 1);
        await().atMost(WAIT).until(() -> HttpJson.get(second.url().toString(), "/devices/" + device).status() == 404);
    }

    // --- helpers -------------------------------------------------------------------------------

    private List<String> devices(String group) {
        return IntStream.range(0, 1_000).mapToObj(i -> group + "-" + run + "-" + i)
                .filter(device -> Kcat.partitionOf(device, partitions) != javaPartitionOf(device))
                .limit(12)
                .toList();
    }

    private int javaPartitionOf(String device) {
        return Utils.toPositive(Utils.murmur2(utf8(device))) % partitions;
    }

    /** Waits until the clock has judged every deadline up to now: a device that beats once now has gone offline. */
    private void awaitJudgedThroughNow() throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, utf8(marker), null)).get();
        awaitEvents(List.of(marker), 2);
    }

    private long lastSeen(App app, String device) {
        HttpJson.Reply reply = HttpJson.get(app.url().toString(), "/devices/" + device);
        return reply.status() != 200 ? -1 : java.time.Instant.parse(reply.body().get("lastSeen").asText()).toEpochMilli();
    }

    private double rerouted() throws Exception {
        double sum = 0;
        for (App app : List.of(first, second)) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(app.url() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            sum += PrometheusText.parse(metrics.body()).sum("kafka_offline_detector_rerouted_records_total");
        }
        return sum;
    }

    private void awaitEvents(List<String> devices, long sequence) {
        await().atMost(WAIT).until(() -> devices.stream().allMatch(d -> eventsOf(d).stream().anyMatch(c -> c.sequence() == sequence)));
    }

    private List<StatusChange> eventsOf(String device) {
        List<StatusChange> events = new ArrayList<>();
        statuses.matching(r -> device.equals(key(r)) && r.value() != null).forEach(r -> events.add(StatusChangeJson.read(r.value())));
        return events;
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String device) {
        return deadLetters.matching(r -> device.equals(key(r)));
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> lines(List<String> devices, String value) {
        return devices.stream().map(device -> device + ":" + value).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
