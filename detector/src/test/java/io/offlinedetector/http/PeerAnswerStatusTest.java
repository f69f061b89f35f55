package io.offlinedetector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.testing.FakeFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the API turns routing outcomes and the peer-protocol parameters into HTTP. */
class PeerAnswerStatusTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final FakeFleet routed = new FakeFleet();
    private final FakeFleet local = new FakeFleet();
    private ApiServer server;

    @BeforeEach
    void start() {
        routed.localOnly = local;
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(routed);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aPeerThatFailsToAnswerIsA502NamingIt() throws Exception {
        routed.answer = new DeviceAnswer.PeerFailed("http://127.0.0.1:9", "cannot be reached");

        HttpResponse<String> response = get("/devices/d1");

        assertEquals(502, response.statusCode());
        assertTrue(response.body().contains("http://127.0.0.1:9"), response.body());
    }

    @Test
    void theLocalOnlyMarkerIsAnsweredFromThisInstancesStoresOnly() throws Exception {
        get("/devices/d1?local=true");
        get("/devices?local=true");
        get("/stats?local=true");
        get("/stats?local=true&by=deviceType");

        assertEquals(List.of("device d1", "devices", "stats", "counts by deviceType"), local.calls);
        assertTrue(routed.calls.isEmpty(), routed.calls.toString());
    }

    @Test
    void aLookupNamingThePartitionIsAskedOfThisInstanceAsTheOwner() throws Exception {
        get("/devices/d1?local=true&partition=7");
        assertEquals(List.of("owner of 7: device d1"), local.calls);

        assertEquals(400, get("/devices/d1?local=true&partition=-1").statusCode());
    }

    @Test
    void allowStaleIsPassedOnAndMustBeABoolean() throws Exception {
        get("/devices/d1?allowStale=true");
        assertEquals(List.of("stale device d1"), routed.calls);

        HttpResponse<String> response = get("/devices/d1?allowStale=maybe");
        assertEquals(400, response.statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
