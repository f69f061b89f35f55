package io.offlinedetector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.Main;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.feed.StatusLine;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topics.TopicManager;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** {@code watch} through the real command line, against status events written to a real broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long T0 = Instant.parse("2026-11-21T20:10:00Z").toEpochMilli();

    private KafkaBroker broker;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start() throws Exception {
        broker = KafkaBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            new TopicManager(admin, broker.bootstrapServers(), WAIT).ensure(TopicDefinition.all());
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void showsNewEventsOfTheChosenDevicesAndStatusThenStopsAfterMaxEvents() throws Exception {
        String prefix = "cam-" + UUID.randomUUID() + "-";
        send(producer, event(prefix + "0", Status.OFFLINE, 1)); // before the watch: not shown
        Watch watch = Watch.start(broker.bootstrapServers(), "--device", prefix + "*", "--status", "offline", "--max-events", "2");
        watch.awaitWatching();

        send(producer, event(prefix + "1", Status.ONLINE, 1));
        send(producer, event("thermo-" + prefix, Status.OFFLINE, 2));
        send(producer, event(prefix + "1", Status.OFFLINE, 2));
        send(producer, event(prefix + "2", Status.OFFLINE, 5));

        assertThat(watch.exitStatus()).isZero();
        List<String> lines = watch.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(prefix + "1", "ONLINE  -> OFFLINE", "TIMEOUT", "seq 2"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(prefix + "2", "seq 5"));
        assertThat(watch.out()).as("no colours when not a terminal").doesNotContain("\u001b[");
    }

    @Test
    void fromTheBeginningShowsCommittedEventsButNotAbortedOnes() throws Exception {
        String device = "txn-" + UUID.randomUUID();
        try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "watch-it-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            send(transactional, event(device, Status.OFFLINE, 7));
            transactional.abortTransaction();
            transactional.beginTransaction();
            send(transactional, event(device, Status.ONLINE, 8));
            transactional.commitTransaction();
        }

        // The aborted event comes first in the partition: were it visible, it would be the one line shown.
        Watch watch = Watch.start(broker.bootstrapServers(), "--from-beginning", "--device", device, "--max-events", "1");

        assertThat(watch.exitStatus()).isZero();
        assertThat(watch.out().lines().toList()).singleElement().asString().contains(device, "OFFLINE -> ONLINE", "seq 8");
    }

    @Test
    void showsARemovalAsALineOfItsOwnAndNoProblem() throws Exception {
        String device = "gone-" + UUID.randomUUID();
        Watch watch = Watch.start(broker.bootstrapServers(), "--device", device, "--max-events", "2");
        watch.awaitWatching();

        send(producer, event(device, Status.OFFLINE, 3));
        producer.send(new ProducerRecord<>(Names.STATUS_TOPIC, 0, T0 + 1_000, device.getBytes(StandardCharsets.UTF_8), (byte[]) null))
                .get(30, TimeUnit.SECONDS);

        assertThat(watch.exitStatus()).isZero();
        assertThat(watch.out().lines().toList()).containsExactly(
                StatusLine.format(event(device, Status.OFFLINE, 3)),
                "2026-11-21 20:10:01.000Z  " + String.format("%-12s", device) + "  removed");
        assertThat(watch.err()).doesNotContain("unreadable");
    }

    private static StatusChange event(String device, Status status, long sequence) {
        Status previous = status == Status.ONLINE ? Status.OFFLINE : Status.ONLINE;
        return new StatusChange(device, status, previous, T0, T0 + 300, T0 - 60_000, 60_000, "camera", null,
                status == Status.ONLINE ? Reason.HEARTBEAT_RESUMED : Reason.TIMEOUT, sequence, false);
    }

    /** Every event of a test goes to partition 0, so that the order in which they are shown is the order sent. */
    private static void send(KafkaProducer<byte[], byte[]> producer, StatusChange change) throws Exception {
        producer.send(new ProducerRecord<>(Names.STATUS_TOPIC, 0, change.changedAt(),
                change.deviceId().getBytes(StandardCharsets.UTF_8), StatusChangeJson.write(change))).get(30, TimeUnit.SECONDS);
    }

    /** One {@code watch} run on its own thread, with its stdout and stderr captured. */
    private record Watch(CompletableFuture<Integer> exit, StringWriter outText, StringWriter errText) {

        static Watch start(String bootstrapServers, String... options) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            List<String> args = new ArrayList<>(List.of("watch", "--bootstrap-servers", bootstrapServers));
            args.addAll(List.of(options));
            if (!args.contains("--duration")) {
                args.addAll(List.of("--duration", "60s")); // whatever happens, the run ends
            }
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            return new Watch(CompletableFuture.supplyAsync(() -> commandLine.execute(args.toArray(String[]::new))), out, err);
        }

        /** The "Watching ..." line comes once the reader is positioned: from then on nothing is missed. */
        void awaitWatching() {
            await().atMost(WAIT).until(() -> errText.toString().contains("Watching") || exit.isDone());
            assertThat(errText.toString()).contains("Watching " + Names.STATUS_TOPIC);
        }

        int exitStatus() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        String out() {
            return outText.toString();
        }

        String err() {
            return errText.toString();
        }
    }
}
