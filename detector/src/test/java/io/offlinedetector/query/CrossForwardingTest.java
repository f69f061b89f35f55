package io.offlinedetector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.http.ApiServer;
import io.offlinedetector.testing.FakeFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances under load, each asked for the other's devices: every request is forwarded, and
 * the forwarded questions must not wait behind the requests that forward them.
 */
class CrossForwardingTest {

    private static final int CLIENTS_PER_INSTANCE = 25; // more than an instance's request threads
    private static final int REQUESTS_PER_CLIENT = 20;

    private final List<ApiServer> servers = new ArrayList<>();
    private final List<RoutingFleetQueries> instances = new ArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS_PER_INSTANCE);

    @AfterEach
    void stop() {
        clients.shutdownNow();
        servers.forEach(ApiServer::stop);
        instances.forEach(RoutingFleetQueries::close);
    }

    @Test
    void instancesForwardingToEachOtherUnderLoadAnswerEveryRequest() throws Exception {
        ApiServer a = ApiServer.bind("127.0.0.1", 0);
        ApiServer b = ApiServer.bind("127.0.0.1", 0);
        servers.addAll(List.of(a, b));
        String aUrl = "http://127.0.0.1:" + a.port();
        String bUrl = "http://127.0.0.1:" + b.port();
        Map<String, String> owners = new ConcurrentHashMap<>(Map.of("on-a", aUrl, "on-b", bUrl));
        instances.add(instance(aUrl, new FakeFleet(aUrl).add("on-a"), owners, List.of(aUrl, bUrl)));
        instances.add(instance(bUrl, new FakeFleet(bUrl).add("on-b"), owners, List.of(aUrl, bUrl)));
        a.start(instances.get(0));
        b.start(instances.get(1));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int i = 0; i < CLIENTS_PER_INSTANCE; i++) {
            results.add(clients.submit(() -> statuses(http, aUrl + "/devices/on-b")));
            results.add(clients.submit(() -> statuses(http, bUrl + "/devices/on-a")));
        }

        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> result : results) {
            statuses.addAll(result.get(60, TimeUnit.SECONDS));
        }
        assertThat(statuses).hasSize(2 * CLIENTS_PER_INSTANCE * REQUESTS_PER_CLIENT).containsOnly(200);
    }

    private static List<Integer> statuses(HttpClient http, String url) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    private static RoutingFleetQueries instance(String self, FakeFleet stores, Map<String, String> owners, List<String> all) {
        Locator locator = new Locator() {
            @Override
            public String self() {
                return self;
            }

            @Override
            public Location locate(String deviceId) {
                String owner = owners.get(deviceId);
                return owner.equals(self) ? new Location.Local(0, List.of()) : new Location.Remote(owner, 0, List.of());
            }

            @Override
            public List<String> instances() {
                return all;
            }

            @Override
            public List<String> unassignedPartitions() {
                return List.of();
            }
        };
        return new RoutingFleetQueries(stores, locator, new PeerClient(RoutingFleetQueries.CONNECT_TIMEOUT, RoutingFleetQueries.REQUEST_TIMEOUT));
    }
}
