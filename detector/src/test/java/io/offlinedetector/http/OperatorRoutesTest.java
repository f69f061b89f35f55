package io.offlinedetector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.testing.FakeFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files, the live feed, the metrics and request timing, through the real server on port 0. */
class OperatorRoutesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    private record Timed(String method, String route, int status, long nanos) {}

    private final List<Timed> timed = new CopyOnWriteArrayList<>();
    private final FakeFleet fleet = new FakeFleet();
    private LiveEvents events;
    private ApiServer server;

    @BeforeEach
    void startServer() {
        events = new LiveEvents(fleet::stats);
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet, new OperatorServices(events,
                () -> new OperatorServices.Scrape("text/plain; version=0.0.4; charset=utf-8", "# TYPE up gauge\nup 1\n".getBytes(StandardCharsets.UTF_8)),
                (method, route, status, nanos) -> timed.add(new Timed(method, route, status, nanos)),
                AdminAccess.DISABLED));
    }

    @AfterEach
    void stopServer() {
        events.close();
        server.stop();
    }

    @Test
    void servesTheDashboardPageWithItsScriptAndStyle() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/dashboard/dashboard.js\"", "href=\"/dashboard/dashboard.css\"");

        assertThat(contentType(get("/dashboard/dashboard.js"))).startsWith("text/javascript");
        assertThat(contentType(get("/dashboard/dashboard.css"))).startsWith("text/css");
    }

    @Test
    @DisplayName("the dashboard loads nothing from elsewhere, so it works with no internet")
    void theDashboardLoadsNothingFromElsewhere() throws Exception {
        for (String file : List.of("/", "/dashboard/dashboard.js", "/dashboard/dashboard.css")) {
            assertThat(get(file).body()).as(file).doesNotContain("http://", "https://", "//cdn", "@import");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/index.html", "/dashboard/app.js", "/dashboard/..%2Fsimplelogger.properties", "/dashboard/"})
    void servesNoOtherFiles(String target) throws Exception {
        assertThat(get(target).statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheMetricsInPrometheusTextFormat() throws Exception {
        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).isEqualTo("# TYPE up gauge\nup 1\n");
    }

    @Test
    @DisplayName("each answer is timed under its route's template, with its status, errors included")
    void timesEachAnswerByRouteTemplateAndStatus() throws Exception {
        fleet.add(FakeFleet.device("sensor-1", Status.ONLINE));
        get("/devices/sensor-1");
        get("/devices/nobody");
        get("/stats");

        assertThat(timed).extracting(Timed::method, Timed::route, Timed::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET", "/devices/{id}", 200),
                org.assertj.core.groups.Tuple.tuple("GET", "/devices/{id}", 404),
                org.assertj.core.groups.Tuple.tuple("GET", "/stats", 200));
        assertThat(timed).allSatisfy(t -> assertThat(t.nanos()).isPositive());
    }

    @Test
    void streamsTheLiveFeedAsServerSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(server.address() + "/events?status=OFFLINE&device=cam-*"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> response.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        await().atMost(TIMEOUT).until(() -> events.clients() == 1);

        events.publish(change("cam-1", Status.ONLINE));
        events.publish(change("thermo-1", Status.OFFLINE));
        events.publish(change("cam-2", Status.OFFLINE));

        await().atMost(TIMEOUT).until(() -> lines.stream().anyMatch(line -> line.contains("cam-2")));
        assertThat(lines).contains("event: transition", "event: stats");
        assertThat(lines).noneMatch(line -> line.contains("cam-1") || line.contains("thermo-1"));
        response.body().close();
    }

    @Test
    void aBadFilterIs400() throws Exception {
        assertThat(get("/events?status=SLEEPING").statusCode()).isEqualTo(400);
        assertThat(get("/events?device=a%00b").statusCode()).isEqualTo(400);
        assertThat(events.clients()).isZero();
    }

    @Test
    void withoutAFeedOrMetricsTheirRoutesAre503() throws Exception {
        ApiServer bare = ApiServer.bind("127.0.0.1", 0);
        bare.start(fleet);
        try {
            for (String target : List.of("/events", "/metrics")) {
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(bare.address() + target)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(target).isEqualTo(503);
                assertThat(response.body()).contains("\"error\"");
            }
        } finally {
            bare.stop();
        }
    }

    private static StatusChange change(String device, Status status) {
        return new StatusChange(device, status, Status.ONLINE, 1_000, 1_400, 1_000, 60_000, null, null, Reason.TIMEOUT, 2, false);
    }

    /** Jetty writes media type parameters without a space: compared without them. */
    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    private HttpResponse<String> get(String target) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(server.address() + target)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
