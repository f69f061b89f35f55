package io.offlinedetector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.Status;
import io.offlinedetector.query.PeerProtocol;
import io.offlinedetector.testing.FakeFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fan-out routes tell {@link PartialAnswers} of each partial answer they give a client, by
 * route, through the real server on port 0 over a {@link FakeFleet} that misses an instance.
 */
class PartialAnswersMetricTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    private final List<String> partial = new CopyOnWriteArrayList<>();
    private final FakeFleet fleet = new FakeFleet();
    private ApiServer server;

    @BeforeEach
    void startServer() {
        fleet.add(FakeFleet.device("a", Status.ONLINE));
        fleet.add(FakeFleet.device("b", Status.OFFLINE));
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet, new OperatorServices(null, null, RequestTimer.NONE, AdminAccess.DISABLED, partial::add));
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    @DisplayName("complete answers are not counted")
    void completeAnswersAreNotCounted() throws Exception {
        for (String target : List.of("/devices", "/stats", "/stats?by=group", "/stats?by=deviceType", "/devices/a")) {
            assertThat(get(target).statusCode()).as(target).isEqualTo(200);
        }

        assertThat(partial).isEmpty();
    }

    @Test
    @DisplayName("each partial answer to a client counts once, under its route")
    void partialAnswersCountUnderTheirRoute() throws Exception {
        fleet.missing = List.of("http://127.0.0.7:8080");

        for (String target : List.of("/devices?status=OFFLINE&limit=1", "/stats", "/stats?by=group&sort=offline", "/stats?by=deviceType",
                "/devices")) {
            HttpResponse<String> response = get(target);
            assertThat(response.statusCode()).as(target).isEqualTo(200);
            assertThat(response.body()).as(target).contains("\"partial\":true");
        }

        assertThat(partial).containsExactly("/devices", "/stats", "/stats?by=group", "/stats?by=deviceType", "/devices");
    }

    @Test
    @DisplayName("a peer's local-only answer is not counted: the instance that asked counts its own client's answer")
    void peersLocalOnlyAnswersAreNotCounted() throws Exception {
        fleet.missing = List.of("http://127.0.0.1:18080 partition 3");

        for (String target : List.of("/devices", "/stats", "/stats?by=group")) {
            String local = target + (target.contains("?") ? "&" : "?") + PeerProtocol.LOCAL_ONLY_PARAM + "=true";
            assertThat(get(local).body()).as(local).contains("\"partial\":true");
        }

        assertThat(partial).isEmpty();
    }

    private HttpResponse<String> get(String target) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
