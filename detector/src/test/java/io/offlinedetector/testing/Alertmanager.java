package io.offlinedetector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}) on loopback, alone (no cluster):
 * the peer the detector's alerts meet in the field. Without the package a developer's run skips
 * the test; with {@code CI} set it fails instead ({@link Tool}).
 */
public final class Alertmanager implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private Alertmanager(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * One that routes every alert to {@code webhook}, grouped by {@code group} and sent at once,
     * resolves included.
     */
    public static Alertmanager notifying(Path dir, String webhook) throws IOException {
        Files.createDirectories(dir);
        return start(dir, Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: webhook
                  group_by: [alertname, group]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: webhook
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhook)));
    }

    /** Starts one with this configuration on a free loopback port, keeping its data in {@code dir}; returns once it is ready. */
    public static Alertmanager start(Path dir, Path config) throws IOException {
        Tool.ALERTMANAGER.requireInstalled();
        Tool.AMTOOL.requireInstalled();
        int port = DetectorProcess.freePort();
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(Tool.ALERTMANAGER.binary().toString(),
                "--config.file=" + config.toAbsolutePath(),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=") // alone: no gossip port
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Alertmanager alertmanager = new Alertmanager(process, "http://127.0.0.1:" + port, log);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(alertmanager::ready);
        return alertmanager;
    }

    public String url() {
        return url;
    }

    private boolean ready() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("alertmanager exited: " + Files.readString(log));
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** The alerts Alertmanager holds that have not ended: active, silenced or inhibited. */
    public List<JsonNode> alerts() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        List<JsonNode> alerts = new ArrayList<>();
        JSON.readTree(response.body()).forEach(alerts::add);
        return alerts;
    }

    /** The held alert of the device, or null. */
    public JsonNode alertOf(String deviceId) throws IOException, InterruptedException {
        return alerts().stream().filter(alert -> deviceId.equals(alert.path("labels").path("device").asText(null))).findFirst().orElse(null);
    }

    /** Adds a silence as an operator does, with {@code amtool silence add}; returns its id, which amtool prints. */
    public String silence(String matcher, Duration duration) throws IOException, InterruptedException {
        Tool.Result amtool = Tool.AMTOOL.run("silence", "add", matcher, "--alertmanager.url=" + url, "--duration=" + duration.toSeconds() + "s",
                "--comment=maintenance window", "--author=test");
        if (amtool.exitCode() != 0) {
            throw new IllegalStateException(amtool.report());
        }
        return amtool.output().trim();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
