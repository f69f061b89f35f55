package io.offlinedetector.http;

import static io.offlinedetector.testing.FakeFleet.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import io.offlinedetector.testing.FakeFleet.DevicesCall;
import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.query.DeviceFilter;
import io.offlinedetector.query.DeviceView;
import io.offlinedetector.query.GroupCountPage;
import io.offlinedetector.query.HistoryAnswer;
import io.offlinedetector.query.KeySelection;
import io.offlinedetector.testing.FakeFleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real {@link ApiServer} on an ephemeral port, over an in-memory {@link FakeFleet}. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private FakeFleet fleet;
    private ApiServer server;

    @BeforeEach
    void startServer() {
        fleet = new FakeFleet();
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet);
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    // ---------------------------------------------------------------- GET /devices/{id}

    @Test
    void returnsTheDeviceWithExactlyTheSpecifiedFieldsAndWhoServedIt() throws Exception {
        fleet.add(device("sensor-42", Status.OFFLINE));

        HttpResponse<String> response = get("/devices/sensor-42");

        assertEquals(200, response.statusCode());
        assertJsonContentType(response);
        assertEquals(FakeFleet.SELF, response.headers().firstValue("X-Served-By").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("deviceId", "status", "lastSeen", "since", "timeoutMs", "deviceType", "group", "flapping", "sequence"),
                fieldNames(body));
        assertEquals("sensor-42", body.get("deviceId").textValue());
        assertEquals("OFFLINE", body.get("status").textValue());
        assertEquals("2026-11-21T20:00:00Z", body.get("lastSeen").textValue());
        assertEquals("2026-11-21T19:00:00Z", body.get("since").textValue());
        assertEquals(600_000, body.get("timeoutMs").longValue());
        assertEquals("thermostat", body.get("deviceType").textValue());
        assertEquals("site-7", body.get("group").textValue());
        assertTrue(body.get("flapping").isBoolean());
        assertFalse(body.get("flapping").booleanValue());
        assertEquals(3, body.get("sequence").longValue());
    }

    @Test
    @DisplayName("a device the detector knows from its state shows its group, and flapping false; no group is null")
    void showsTheGroupOfTheStateAndFlappingFalse() throws Exception {
        fleet.add(DeviceView.of("grouped", new DeviceState(Status.ONLINE, 1_000, 1_000, 60_000, "camera", "site-8", 1, 61_000, DeviceState.NO_REQUEST), false));
        fleet.add(DeviceView.of("loner", new DeviceState(Status.OFFLINE, 1_000, 61_000, 60_000, null, null, 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST), false));

        JsonNode grouped = JSON.readTree(get("/devices/grouped").body());
        assertEquals("site-8", grouped.get("group").textValue());
        assertEquals("camera", grouped.get("deviceType").textValue());
        assertFalse(grouped.get("flapping").booleanValue());

        JsonNode loner = JSON.readTree(get("/devices/loner").body());
        assertTrue(loner.has("group") && loner.get("group").isNull(), loner.toString());
        assertTrue(loner.has("deviceType") && loner.get("deviceType").isNull(), loner.toString());
        assertFalse(loner.get("flapping").booleanValue());
    }

    @Test
    void unknownDeviceIs404() throws Exception {
        HttpResponse<String> response = get("/devices/nobody");

        assertError(response, 404);
        assertEquals(List.of("nobody"), fleet.askedIds);
    }

    @Test
    @DisplayName("an id of 200 UTF-8 bytes is asked for, one of 201 bytes is refused with 400 (bytes, not chars)")
    void idLengthIsCountedInUtf8Bytes() throws Exception {
        String ascii200 = "a".repeat(200);
        String multiByte200 = "é".repeat(100);
        assertEquals(404, get("/devices/" + ascii200).statusCode());
        assertEquals(404, get("/devices/" + encode(multiByte200)).statusCode());
        assertEquals(List.of(ascii200, multiByte200), fleet.askedIds);

        assertError(get("/devices/" + "a".repeat(201)), 400);
        assertError(get("/devices/" + encode("é".repeat(100) + "a")), 400);
        assertEquals(2, fleet.askedIds.size(), "invalid ids must not reach the query side");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%01", "tab%09", "new%0Aline", "del%7F", "c1%C2%80"})
    void idWithAControlCharacterIs400(String rawId) throws Exception {
        JsonNode error = assertError(get("/devices/" + rawId), 400);

        assertTrue(error.get("error").textValue().contains("control character"), error.toString());
        assertTrue(fleet.askedIds.isEmpty());
    }

    @Test
    @DisplayName("a NUL in the path is refused by Jetty before the API, with a JSON error all the same")
    void idWithANulIs400() throws Exception {
        assertError(get("/devices/a%00b"), 400);
        assertTrue(fleet.askedIds.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%ff", "a%C3", "%C3%28", "%C0%AF", "%ED%A0%80", "%F8%88%80%80%80"})
    void idThatIsNotValidUtf8Is400(String rawId) throws Exception {
        assertError(get("/devices/" + rawId), 400);
        assertTrue(fleet.askedIds.isEmpty());
    }

    /** Such targets cannot even be written as a java.net.URI, so they go over a plain socket. */
    @ParameterizedTest
    @ValueSource(strings = {"/devices/%zz", "/devices/abc%", "/devices/abc%4", "/devices/%g1", "/devices?after=%zz"})
    void malformedPercentEncodingIs400(String target) throws Exception {
        RawResponse response = raw("GET", target);

        assertEquals(400, response.status(), response.toString());
        assertTrue(fleet.askedIds.isEmpty());
        assertTrue(fleet.devicesCalls.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space", "a+b", "+", "a/b", "/leading", "100%", "q?x=1#frag", "čidlo-温度-🌡",
            "emoji-😀-x", "semi;colon", "dots..", "ünïcödé+/ %"})
    void idsRoundTripExactly(String id) throws Exception {
        fleet.add(device(id, Status.ONLINE));

        HttpResponse<String> response = get("/devices/" + encode(id));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(id), fleet.askedIds);
        assertEquals(id, JSON.readTree(response.body()).get("deviceId").textValue());
    }

    @Test
    @DisplayName("a literal '+' in the path is a plus, not a space (paths are not form-encoded)")
    void literalPlusInPathIsAPlus() throws Exception {
        fleet.add(device("a+b", Status.ONLINE));

        assertEquals(200, get("/devices/a+b").statusCode());
        assertEquals(List.of("a+b"), fleet.askedIds);
    }

    @Test
    void unavailableDeviceIs503WithRetryAfter() throws Exception {
        fleet.answer = new DeviceAnswer.Unavailable("the fleet is rebalancing", 3);

        HttpResponse<String> response = get("/devices/sensor-1");

        JsonNode error = assertError(response, 503);
        assertEquals("3", response.headers().firstValue("Retry-After").orElse(null));
        assertEquals("the fleet is rebalancing", error.get("error").textValue());
    }

    // ---------------------------------------------------------------- GET /devices/{id}/history

    @Test
    void historyShowsTheTransitionsNewestFirstTheUptimeAndWhetherItIsComplete() throws Exception {
        fleet.add(device("sensor-42", Status.ONLINE));

        HttpResponse<String> response = get("/devices/sensor-42/history");

        assertEquals(200, response.statusCode());
        assertJsonContentType(response);
        assertEquals(FakeFleet.SELF, response.headers().firstValue("X-Served-By").orElse(null));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("deviceId", "transitions", "uptime", "complete"), fieldNames(body));
        assertEquals("sensor-42", body.get("deviceId").textValue());
        JsonNode newest = body.get("transitions").get(0);
        assertEquals(List.of("status", "previousStatus", "changedAt", "reason", "sequence"), fieldNames(newest));
        assertEquals("ONLINE", newest.get("status").textValue());
        assertEquals("OFFLINE", newest.get("previousStatus").textValue());
        assertEquals("2026-11-21T19:00:00Z", newest.get("changedAt").textValue());
        assertEquals("HEARTBEAT_RESUMED", newest.get("reason").textValue());
        List<Long> sequences = new ArrayList<>();
        body.get("transitions").forEach(t -> sequences.add(t.get("sequence").longValue()));
        assertEquals(List.of(3L, 2L, 1L), sequences);
        assertEquals(List.of("24h", "7d"), fieldNames(body.get("uptime")));
        assertEquals(0.75, body.get("uptime").get("24h").doubleValue());
        assertEquals(0.75, body.get("uptime").get("7d").doubleValue());
        assertTrue(body.get("complete").booleanValue());
        assertEquals(List.of("history sensor-42 (limit 50)"), fleet.calls);
    }

    @Test
    void historyPassesTheLimitThrough() throws Exception {
        fleet.add(device("sensor-42", Status.ONLINE));

        assertEquals(2, JSON.readTree(get("/devices/sensor-42/history?limit=2").body()).get("transitions").size());
        assertEquals(200, get("/devices/sensor-42/history?limit=100").statusCode());
        assertEquals(200, get("/devices/sensor-42/history?limit=1").statusCode());
        assertEquals(List.of("history sensor-42 (limit 2)", "history sensor-42 (limit 100)", "history sensor-42 (limit 1)"), fleet.calls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=-1", "limit=x", "limit=1.5", "limit=1000"})
    void historyRejectsABadLimit(String query) throws Exception {
        fleet.add(device("sensor-42", Status.ONLINE));

        JsonNode error = assertError(get("/devices/sensor-42/history?" + query), 400);

        assertTrue(error.get("error").textValue().contains("1 to 100"), error.toString());
        assertTrue(fleet.askedIds.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%01", "new%0Aline"})
    void historyOfAnInvalidIdIs400(String rawId) throws Exception {
        assertError(get("/devices/" + rawId + "/history"), 400);
        assertError(get("/devices/" + "a".repeat(201) + "/history"), 400);
        assertTrue(fleet.askedIds.isEmpty());
    }

    @Test
    void historyOfAnUnknownDeviceIs404() throws Exception {
        assertError(get("/devices/nobody/history"), 404);
        assertEquals(List.of("nobody"), fleet.askedIds);
    }

    @Test
    void historyIs503WithRetryAfterWhileUnavailableAnd502WhenTheOwnerFailed() throws Exception {
        fleet.historyAnswer = new HistoryAnswer.Unavailable("the fleet is rebalancing", 3);
        HttpResponse<String> unavailable = get("/devices/sensor-1/history");
        assertError(unavailable, 503);
        assertEquals("3", unavailable.headers().firstValue("Retry-After").orElse(null));

        fleet.historyAnswer = new HistoryAnswer.PeerFailed("http://10.0.0.2:8080", "did not answer in time");
        JsonNode failed = assertError(get("/devices/sensor-1/history"), 502);
        assertTrue(failed.get("error").textValue().contains("http://10.0.0.2:8080"), failed.toString());
    }

    @Test
    void historyAskedByAPeerAsTheOwnerOfAPartitionIsAnsweredLocally() throws Exception {
        FakeFleet local = new FakeFleet();
        local.add(device("d1", Status.ONLINE));
        fleet.localOnly = local;

        assertEquals(200, get("/devices/d1/history?local=true&partition=7&limit=5").statusCode());
        assertError(get("/devices/d1/history?local=true&partition=x"), 400);

        assertEquals(List.of("owner of 7: history d1 (limit 5)"), local.calls);
        assertTrue(fleet.calls.isEmpty());
    }

    // ---------------------------------------------------------------- GET /devices

    @Test
    void devicesPassesStatusLimitAndAfterThrough() throws Exception {
        addFleetOfFour();

        HttpResponse<String> response = get("/devices?status=OFFLINE&limit=2&after=a");

        assertEquals(200, response.statusCode());
        assertJsonContentType(response);
        assertEquals(List.of(new DevicesCall(Status.OFFLINE, "a", 2)), fleet.devicesCalls);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("devices", "next"), fieldNames(body));
        assertEquals(List.of("b", "c"), ids(body.get("devices")));
        assertEquals("c", body.get("next").textValue());
        assertEquals(9, body.get("devices").get(0).size(), "each device has the same fields as GET /devices/{id}");
        assertEquals("site-7", body.get("devices").get(0).get("group").textValue());
        assertFalse(body.get("devices").get(0).get("flapping").booleanValue());
    }

    @Test
    void devicesDefaultsToEveryStatusFromTheStartAndAHundred() throws Exception {
        addFleetOfFour();

        HttpResponse<String> response = get("/devices");

        assertEquals(200, response.statusCode());
        assertEquals(List.of(new DevicesCall(DeviceFilter.NONE, null, HttpApi.DEFAULT_LIMIT)), fleet.devicesCalls);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("a", "b", "c", "d"), ids(body.get("devices")));
        assertTrue(body.has("next") && body.get("next").isNull(), "last page says next: null");
    }

    @Test
    void devicesParametersAreDecodedLikeAForm() throws Exception {
        assertEquals(200, get("/devices?status=online&limit=1").statusCode());
        assertEquals(200, get("/devices?limit=1000&status=offline").statusCode());
        assertEquals(200, get("/devices?after=a%2Bb").statusCode());
        assertEquals(200, get("/devices?after=a+b").statusCode());
        assertEquals(200, get("/devices?after=" + encode("温度/€")).statusCode());
        assertEquals(200, get("/devices?status=&limit=").statusCode());

        assertEquals(List.of(
                        new DevicesCall(Status.ONLINE, null, 1),
                        new DevicesCall(Status.OFFLINE, null, 1000),
                        new DevicesCall(DeviceFilter.NONE, "a+b", 100),
                        new DevicesCall(DeviceFilter.NONE, "a b", 100),
                        new DevicesCall(DeviceFilter.NONE, "温度/€", 100),
                        new DevicesCall(DeviceFilter.NONE, null, 100)),
                fleet.devicesCalls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=SLEEPING", "status=UNKNOWN", "limit=0", "limit=1001", "limit=abc", "limit=-1",
            "limit=1.5", "limit=99999999999", "after=%01", "after=%ff"})
    void devicesRejectsBadParameters(String query) throws Exception {
        assertError(get("/devices?" + query), 400);
        assertTrue(fleet.devicesCalls.isEmpty(), "a bad request must not reach the query side");
    }

    @Test
    void devicesPassesTheFiltersByTypeAndGroupThroughWithTheStatus() throws Exception {
        fleet.add(device("a", Status.OFFLINE, "pump", "site 7"))
                .add(device("b", Status.OFFLINE, "valve", "site 7"))
                .add(device("c", Status.ONLINE, "pump", "site 7"))
                .add(device("d", Status.OFFLINE, "pump", "site-8"))
                .add(device("e", Status.OFFLINE, "pump", "site 7"));

        HttpResponse<String> response = get("/devices?status=OFFLINE&deviceType=pump&group=site+7&limit=10");

        assertEquals(200, response.statusCode());
        assertEquals(List.of(new DevicesCall(new DeviceFilter(Status.OFFLINE, "pump", "site 7"), null, 10)), fleet.devicesCalls);
        assertEquals(List.of("a", "e"), ids(JSON.readTree(response.body()).get("devices")));
    }

    @Test
    void devicesFiltersByTypeOrGroupAloneAndTakesAnEmptyOneForNone() throws Exception {
        assertEquals(200, get("/devices?group=" + encode("温度/€") + "&after=a").statusCode());
        assertEquals(200, get("/devices?deviceType=pump").statusCode());
        assertEquals(200, get("/devices?deviceType=&group=&status=").statusCode());
        assertEquals(200, get("/devices?deviceType=" + "t".repeat(64) + "&group=" + "g".repeat(128)).statusCode());

        assertEquals(List.of(
                        new DevicesCall(new DeviceFilter(null, null, "温度/€"), "a", 100),
                        new DevicesCall(new DeviceFilter(null, "pump", null), null, 100),
                        new DevicesCall(DeviceFilter.NONE, null, 100),
                        new DevicesCall(new DeviceFilter(null, "t".repeat(64), "g".repeat(128)), null, 100)),
                fleet.devicesCalls);
    }

    @Test
    void devicesRejectsAFilterLongerThanAHeartbeatMayName() throws Exception {
        assertEquals("deviceType is longer than 64 characters",
                assertError(get("/devices?deviceType=" + "t".repeat(65)), 400).get("error").textValue());
        assertEquals("group is longer than 128 characters",
                assertError(get("/devices?group=" + "g".repeat(129) + "&status=OFFLINE"), 400).get("error").textValue());
        assertTrue(fleet.devicesCalls.isEmpty());
    }

    @Test
    void devicesRejectsAnOverLongAfter() throws Exception {
        assertError(get("/devices?after=" + "x".repeat(201)), 400);
        assertTrue(fleet.devicesCalls.isEmpty());
    }

    @Test
    void completeAnswersSayNothingAboutPartiality() throws Exception {
        addFleetOfFour();

        JsonNode devices = JSON.readTree(get("/devices").body());
        JsonNode stats = JSON.readTree(get("/stats").body());
        JsonNode byGroup = JSON.readTree(get("/stats?by=group").body());

        for (JsonNode body : List.of(devices, stats, byGroup)) {
            assertFalse(body.has("partial"), body.toString());
            assertFalse(body.has("missing"), body.toString());
        }
    }

    @Test
    void answersThatMissAnInstanceSayPartialAndWhatIsMissing() throws Exception {
        addFleetOfFour();
        fleet.missing = List.of("http://127.0.0.7:8080", "http://127.0.0.1:18080 partition 3");

        HttpResponse<String> devices = get("/devices?limit=2");
        HttpResponse<String> stats = get("/stats");
        HttpResponse<String> byType = get("/stats?by=deviceType&sort=offline");

        for (HttpResponse<String> response : List.of(devices, stats, byType)) {
            assertEquals(200, response.statusCode());
            JsonNode body = JSON.readTree(response.body());
            assertTrue(body.get("partial").booleanValue(), body.toString());
            assertEquals(List.of("http://127.0.0.7:8080", "http://127.0.0.1:18080 partition 3"), texts(body.get("missing")));
        }
        assertEquals(List.of("a", "b"), ids(JSON.readTree(devices.body()).get("devices")));
    }

    // ---------------------------------------------------------------- /stats, /instances, /health, /ready

    @Test
    void statsCountsTheFleet() throws Exception {
        addFleetOfFour();

        HttpResponse<String> response = get("/stats");

        assertEquals(200, response.statusCode());
        assertJsonContentType(response);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("total", "online", "offline"), fieldNames(body));
        assertEquals(4, body.get("total").longValue());
        assertEquals(1, body.get("online").longValue());
        assertEquals(3, body.get("offline").longValue());
    }

    @Test
    void statsByGroupCountsEveryGroupInKeyOrderWithTheDevicesWithoutOneFirst() throws Exception {
        fleet.add(device("a", Status.ONLINE, "pump", "site-8"), device("b", Status.OFFLINE, null, "site-7"),
                device("c", Status.OFFLINE, "pump", null), device("d", Status.ONLINE, "valve", "site-7"));

        HttpResponse<String> response = get("/stats?by=group");

        assertEquals(200, response.statusCode());
        assertJsonContentType(response);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of("by", "groups", "next"), fieldNames(body));
        assertEquals("group", body.get("by").textValue());
        assertTrue(body.get("next").isNull(), "one page: next is null");
        assertEquals(List.of("key", "total", "online", "offline"), fieldNames(body.get("groups").get(0)));
        assertEquals(JSON.readTree("[{\"key\":null,\"total\":1,\"online\":0,\"offline\":1},"
                + "{\"key\":\"site-7\",\"total\":2,\"online\":1,\"offline\":1},"
                + "{\"key\":\"site-8\",\"total\":1,\"online\":1,\"offline\":0}]"), body.get("groups"));
        assertEquals(List.of("counts by group: " + new KeySelection.After(null, HttpApi.DEFAULT_LIMIT)), fleet.calls);
    }

    @Test
    void statsByDeviceTypeWorstFirstPagesWithNextAsAfter() throws Exception {
        fleet.add(device("a", Status.OFFLINE, "pump", null), device("b", Status.OFFLINE, "valve", null),
                device("c", Status.OFFLINE, "valve", null), device("d", Status.ONLINE, null, null), device("e", Status.OFFLINE, null, null));
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 5; pages++) {
            JsonNode body = JSON.readTree(get("/stats?by=deviceType&sort=offline&limit=2" + (after == null ? "" : "&after=" + after)).body());
            assertEquals("deviceType", body.get("by").textValue());
            assertTrue(body.get("groups").size() <= 2, body.toString());
            body.get("groups").forEach(group -> seen.add(group.get("key").asText("null") + "=" + group.get("offline").longValue()));
            after = body.get("next").isNull() ? null : body.get("next").textValue();
            if (after == null) {
                break;
            }
        }
        assertEquals(List.of("valve=2", "null=1", "pump=1"), seen);
    }

    @Test
    void statsByGroupDefaultsToAHundredGroups() throws Exception {
        for (int i = 0; i < 150; i++) {
            fleet.add(device("d" + i, Status.ONLINE, null, String.format("site-%03d", i)));
        }

        JsonNode first = JSON.readTree(get("/stats?by=group").body());
        JsonNode second = JSON.readTree(get("/stats?by=group&limit=1000&after=" + first.get("next").textValue()).body());

        assertEquals(HttpApi.DEFAULT_LIMIT, first.get("groups").size());
        assertEquals("site-099", first.get("groups").get(99).get("key").textValue());
        assertEquals(50, second.get("groups").size());
        assertEquals("site-100", second.get("groups").get(0).get("key").textValue());
        assertTrue(second.get("next").isNull());
    }

    @Test
    void anotherInstanceAskingLocallyGetsEveryGroupUnpagedUnlessItAsksForPart() throws Exception {
        for (int i = 0; i < 5; i++) {
            fleet.add(device("d" + i, i % 2 == 0 ? Status.OFFLINE : Status.ONLINE, null, "site-" + i));
        }
        String site1 = new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, "site-1").text();

        JsonNode every = JSON.readTree(get("/stats?by=group&local=true").body());
        JsonNode range = JSON.readTree(get("/stats?by=group&local=true&limit=2&after=" + site1).body());
        JsonNode offline = JSON.readTree(get("/stats?by=group&local=true&status=OFFLINE").body());
        JsonNode named = JSON.readTree(get("/stats?by=group&local=true&key=" + site1 + "&key="
                + new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, "site-4").text()).body());

        assertEquals(List.of("site-0", "site-1", "site-2", "site-3", "site-4"), keys(every), "in key order, to be added up by key");
        assertTrue(every.get("next").isNull());
        assertEquals(List.of("site-2", "site-3"), keys(range));
        assertEquals(site1.length(), range.get("next").textValue().length(), "a cursor of key order: more follow");
        assertEquals(List.of("site-0", "site-2", "site-4"), keys(offline));
        assertEquals(0, offline.get("groups").get(0).get("online").longValue(), "only the OFFLINE devices are counted");
        assertEquals(List.of("site-1", "site-4"), keys(named));
        assertEquals(1, named.get("groups").get(0).get("online").longValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=ONLINE", "limit=0", "limit=x", "limit=2&after=site-1", "key=site-1"})
    void anotherInstancesQuestionForPartOfTheCountsMustSayWhichPart(String part) throws Exception {
        assertError(get("/stats?by=group&local=true&" + part), 400);
    }

    private static List<String> keys(JsonNode answer) {
        List<String> keys = new ArrayList<>();
        answer.get("groups").forEach(group -> keys.add(group.get("key").asText()));
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"by=site", "by=GROUP", "by=devicetype", "by=group&sort=online", "by=group&sort=OFFLINE", "by=group&sort=key",
            "by=group&limit=0", "by=group&limit=1001", "by=group&limit=abc", "by=group&after=site-7", "by=group&after=%21%21",
            "by=group&after=aw", "by=deviceType&sort=offline&after=awFh", "by=group&after=bwAAAAAAAAABAWE",
            "sort=offline", "limit=5", "after=awFh"})
    void statsRejectsBadParameters(String query) throws Exception {
        assertError(get("/stats?" + query), 400);
        assertTrue(fleet.calls.isEmpty(), "a bad request must not reach the query side: " + fleet.calls);
    }

    @Test
    void statsRejectsAnOverLongAfter() throws Exception {
        assertError(get("/stats?by=group&after=" + "a".repeat(1025)), 400);
        assertTrue(fleet.calls.isEmpty());
    }

    @Test
    void instancesListsAddressesAndPartitions() throws Exception {
        HttpResponse<String> response = get("/instances");

        assertEquals(200, response.statusCode());
        JsonNode instances = JSON.readTree(response.body()).get("instances");
        assertEquals(2, instances.size());
        JsonNode self = instances.get(0);
        assertEquals(FakeFleet.SELF, self.get("url").textValue());
        assertTrue(self.get("self").booleanValue());
        assertEquals("[0,2]", self.get("activePartitions").toString());
        assertEquals("[1]", self.get("standbyPartitions").toString());
        assertEquals("http://127.0.0.1:18081", instances.get(1).get("url").textValue());
        assertFalse(instances.get(1).get("self").booleanValue());
    }

    @Test
    void healthIs200WhileLiveAnd503OnceProcessingFailed() throws Exception {
        HttpResponse<String> up = get("/health");
        assertEquals(200, up.statusCode());
        assertJsonContentType(up);
        assertEquals("UP", JSON.readTree(up.body()).get("status").textValue());

        fleet.live = false;
        assertError(get("/health"), 503);
    }

    @Test
    void readyIs200WhenReadyAnd503WithRetryAfterOtherwise() throws Exception {
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("READY", JSON.readTree(ready.body()).get("status").textValue());

        fleet.ready = false;
        HttpResponse<String> notReady = get("/ready");
        assertError(notReady, 503);
        String retryAfter = notReady.headers().firstValue("Retry-After").orElseThrow();
        assertTrue(Integer.parseInt(retryAfter) > 0, retryAfter);
    }

    // ---------------------------------------------------------------- routing and failures

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/secret.txt", "/nope", "/devices/a/b", "/devices/", "/stats/extra", "/DEVICES/a", "/health/"})
    void unknownPathIs404(String target) throws Exception {
        assertError(get(target), 404);
        assertTrue(fleet.askedIds.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /devices/x|DELETE, GET, HEAD", "PUT /devices|GET, HEAD", "POST /stats|GET, HEAD", "DELETE /ready|GET, HEAD",
            "PATCH /instances|GET, HEAD",
            "DELETE /devices/x/history|GET, HEAD"})
    void otherMethodsOnAKnownPathAre405WithAllow(String request) throws Exception {
        String[] parts = request.split("[ |]");

        HttpResponse<String> response = send(parts[0], parts[1]);

        assertError(response, 405);
        assertEquals(request.substring(request.indexOf('|') + 1), response.headers().firstValue("Allow").orElse(null));
        assertTrue(fleet.askedIds.isEmpty());
        assertTrue(fleet.devicesCalls.isEmpty());
    }

    @Test
    void deleteIsForbiddenWhileAdminEndpointsAreOff() throws Exception {
        HttpResponse<String> response = send("DELETE", "/devices/x");

        assertError(response, 403);
        assertTrue(fleet.askedIds.isEmpty());
    }

    @Test
    void overLongRequestTargetIs414() throws Exception {
        assertError(get("/devices/" + "a".repeat(5000)), 414);
        assertError(get("/devices?after=" + "a".repeat(5000)), 414);
        assertTrue(fleet.askedIds.isEmpty());
        assertTrue(fleet.devicesCalls.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/devices/sensor-1", "/devices", "/stats", "/instances", "/health", "/ready"})
    void unexpectedFailureIs500WithoutDetails(String target) throws Exception {
        fleet.failure = new IllegalStateException("secret detail from the store");

        HttpResponse<String> response = get(target);

        JsonNode error = assertError(response, 500);
        assertEquals("{\"error\":\"internal error\"}", error.toString());
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("IllegalStateException"), response.body());
    }

    @Test
    void serverKeepsAnsweringAfterAFailure() throws Exception {
        fleet.failure = new IllegalStateException("boom");
        assertEquals(500, get("/stats").statusCode());

        fleet.failure = null;
        assertEquals(200, get("/stats").statusCode());
    }

    // ---------------------------------------------------------------- binding

    @Test
    void bindingAPortInUseIsAOneLineStartupException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            StartupException e = assertThrows(StartupException.class, () -> ApiServer.bind("127.0.0.1", port));

            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
        }
        StartupException e = assertThrows(StartupException.class, () -> ApiServer.bind("127.0.0.1", server.port()));
        assertOneLine(e.getMessage());
    }

    @Test
    void portZeroResolvesToTheBoundPort() {
        assertTrue(server.port() > 0);
        assertEquals("http://127.0.0.1:" + server.port(), server.address());
    }

    // ---------------------------------------------------------------- helpers

    private void addFleetOfFour() {
        fleet.add(device("a", Status.ONLINE))
                .add(device("b", Status.OFFLINE))
                .add(device("c", Status.OFFLINE))
                .add(device("d", Status.OFFLINE));
    }

    private HttpResponse<String> get(String target) throws IOException, InterruptedException {
        return send("GET", target);
    }

    private HttpResponse<String> send(String method, String target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.address() + target))
                .timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Every error: the status, JSON content type, exactly {"error": "<non-blank>"}, no stack trace. */
    private static JsonNode assertError(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertJsonContentType(response);
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.isObject(), response.body());
        assertEquals(List.of("error"), fieldNames(body), response.body());
        assertTrue(body.get("error").isTextual() && !body.get("error").textValue().isBlank(), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
        assertFalse(response.body().contains("\tat "), response.body());
        return body;
    }

    private static void assertJsonContentType(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.toLowerCase(Locale.ROOT).startsWith("application/json"), contentType);
    }

    private static void assertOneLine(String message) {
        assertTrue(message != null && !message.isBlank(), "message: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode devices) {
        List<String> ids = new ArrayList<>();
        devices.forEach(device -> ids.add(device.get("deviceId").textValue()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.textValue()));
        return texts;
    }

    /** Percent-encodes every UTF-8 byte except RFC 3986 unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** A request written byte for byte, for targets that java.net.URI refuses to build. */
    private RawResponse raw(String method, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, headerEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(headerEnd + 4));
        }
    }
}
