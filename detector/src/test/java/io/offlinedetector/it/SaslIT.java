package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.App;
import io.offlinedetector.Main;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.feed.StatusLine;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.testing.TopicTail;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.StatusChangeJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Kafka client security settings pass through from the {@code --config} file: against a broker
 * whose only client listener wants SASL/PLAIN, the detector works with the right credentials, and
 * with wrong ones start-up stops soon with one line that names the authentication failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SaslIT {

    private static final String USER = JaasUtils.KAFKA_PLAIN_USER1;
    private static final String PASSWORD = JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Well inside the 30 s the detector waits for an unreachable Kafka: a refusal must not wait that out. */
    private static final Duration PROMPT = Duration.ofSeconds(15);

    private KafkaBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        broker = KafkaBroker.startWithSaslPlain();
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @DisplayName("with the credentials in its config file, a heartbeat becomes an ONLINE event")
    void detectorWithSaslCredentialsInItsConfigFileReportsAHeartbeatAsOnline(@TempDir Path dir) throws Exception {
        Path config = configFile(dir, USER, PASSWORD);
        String device = "sasl-sensor-" + UUID.randomUUID();

        try (App app = DetectorApps.startFromConfigFile(config);
                TopicTail statuses = new TopicTail(client(USER, PASSWORD), Names.STATUS_TOPIC);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(USER, PASSWORD), new ByteArraySerializer(), new ByteArraySerializer())) {
            await().atMost(WAIT).until(app::ready);
            long sentAt = System.currentTimeMillis();
            producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, sentAt, utf8(device), utf8("{\"deviceType\":\"thermostat\"}"))).get();

            await().atMost(WAIT).until(() -> !eventsOf(statuses, device).isEmpty());
            StatusChange online = eventsOf(statuses, device).get(0);
            assertThat(online.status()).isEqualTo(Status.ONLINE);
            assertThat(online.reason()).isEqualTo(Reason.FIRST_HEARTBEAT);
            assertThat(online.changedAt()).isEqualTo(sentAt);
            assertThat(online.deviceType()).isEqualTo("thermostat");
            assertThat(new ObjectMapper().readTree(get(app, "/devices/" + device)).get("status").asText()).isEqualTo("ONLINE");
        }
    }

    @Test
    void wrongPasswordStopsStartUpPromptlyWithOneLineNamingTheAuthenticationFailure(@TempDir Path dir) throws Exception {
        Path config = configFile(dir, USER, "not-" + PASSWORD);

        long start = System.nanoTime();
        StartupException e = assertThrows(StartupException.class, () -> DetectorApps.startFromConfigFile(config));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        assertThat(e.getMessage())
                .containsIgnoringCase("authentication")
                .contains(broker.bootstrapServers())
                .contains("Invalid username or password")
                .doesNotContain("\n", "\r");
    }

    @Test
    void unknownUserStopsTheRunCommandWithExitStatus2AndOneLineOnStderr(@TempDir Path dir) throws Exception {
        Path config = configFile(dir, "nobody", PASSWORD);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        long start = System.nanoTime();
        int exit = commandLine.execute("run", "--config", config.toString());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("offline-detector: ")
                .containsIgnoringCase("authentication"));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    @DisplayName("topics and watch with the detector's config file create the topics and read the status events of the secured cluster")
    void topicsAndWatchWithTheDetectorsConfigFileWorkOnTheSecuredCluster(@TempDir Path dir) throws Exception {
        Path config = configFile(dir, USER, PASSWORD);
        assertThat(Main.commandLine().execute("topics", "--config", config.toString(), "--timeout", "30s")).isZero();
        assertThat(Main.commandLine().execute("topics", "--config", config.toString(), "--verify-only", "--timeout", "30s")).isZero();
        String device = "sasl-watch-" + UUID.randomUUID();
        long changedAt = System.currentTimeMillis();
        StatusChange offline = new StatusChange(device, Status.OFFLINE, Status.ONLINE, changedAt, changedAt + 300, changedAt - 60_000,
                60_000, "camera", null, Reason.TIMEOUT, 2, false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client(USER, PASSWORD), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Names.STATUS_TOPIC, utf8(device), StatusChangeJson.write(offline))).get(30, TimeUnit.SECONDS);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("watch", "--config", config.toString(), "--from-beginning", "--device", device,
                "--max-events", "1", "--duration", "60s");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactly(StatusLine.format(offline));
        assertThat(err.toString()).contains("Watching " + Names.STATUS_TOPIC + " on " + broker.bootstrapServers());
    }

    /** A complete detector config file, the way an operator writes one for a SASL cluster. */
    private Path configFile(Path dir, String user, String password) throws Exception {
        Path file = dir.resolve("detector.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                "application.id=sasl-it-" + UUID.randomUUID(),
                "http.bind=127.0.0.1",
                "http.port=0",
                "state.dir=" + dir.resolve("state").toString().replace('\\', '/'),
                "timeout.default=4s",
                "check.interval=500ms",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=" + jaas(user, password),
                ""));
        return file;
    }

    private Map<String, Object> client(String user, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static List<StatusChange> eventsOf(TopicTail statuses, String device) {
        return statuses.matching(r -> new String(r.key(), StandardCharsets.UTF_8).equals(device)).stream()
                .map(r -> StatusChangeJson.read(r.value()))
                .toList();
    }

    private static String get(App app, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
