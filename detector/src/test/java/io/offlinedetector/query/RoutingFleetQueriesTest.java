package io.offlinedetector.query;

import static io.offlinedetector.testing.FakeFleet.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.http.ApiServer;
import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import io.offlinedetector.testing.FakeFleet;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routing between three instances over real HTTP: this one (in memory) and two peers, each a real
 * {@link ApiServer} on port 0 over its own in-memory stores. The peers refuse any question that
 * lacks the local-only marker, so a test passes only if nothing is forwarded twice.
 */
class RoutingFleetQueriesTest {

    private static final String SELF = "http://127.0.0.1:1";

    private final List<ApiServer> servers = new ArrayList<>();
    private final FakeLocator locator = new FakeLocator();
    private FakeFleet here;
    private FakeFleet b;
    private FakeFleet c;
    private String bUrl;
    private String cUrl;
    private RoutingFleetQueries fleet;

    @BeforeEach
    void startPeers() {
        here = new FakeFleet(SELF);
        b = serve();
        c = serve();
        bUrl = b.url();
        cUrl = c.url();
        locator.instances = new ArrayList<>(List.of(SELF, bUrl, cUrl));
        fleet = new RoutingFleetQueries(here, locator, new PeerClient(Duration.ofSeconds(1), Duration.ofSeconds(3)));
    }

    @AfterEach
    void stopPeers() {
        servers.forEach(ApiServer::stop);
        fleet.close();
    }

    @Test
    void answersFromItsOwnStoresWhenTheActiveTaskIsHere() {
        here.add("d1");
        locator.owner("d1", new Location.Local(0, List.of(bUrl)));

        assertThat(fleet.device("d1", false)).isEqualTo(new DeviceAnswer.Found(view("d1"), SELF));
        assertThat(b.askedIds).isEmpty();
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void forwardsOnceToTheOwnerAndNamesTheInstanceThatAnswered() {
        b.add("d2");
        locator.owner("d2", new Location.Remote(bUrl, 1, List.of(cUrl)));

        DeviceAnswer answer = fleet.device("d2", false);

        assertThat(answer).isEqualTo(new DeviceAnswer.Found(view("d2"), bUrl));
        assertThat(b.askedIds).containsExactly("d2");
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void forwardsIdsThatNeedPercentEncodingUnchanged() {
        String id = "room 4/sensor+1 ü𝄞";
        b.add(id);
        locator.owner(id, new Location.Remote(bUrl, 1, List.of()));

        assertThat(fleet.device(id, false)).isInstanceOf(DeviceAnswer.Found.class);
        assertThat(b.askedIds).containsExactly(id);
    }

    @Test
    void isUnknownWhenTheOwnerDoesNotKnowTheDeviceWithoutAskingAnyOtherInstance() {
        c.add("elsewhere"); // not where the owner is: no instance but the owner is ever asked
        locator.owner("elsewhere", new Location.Remote(bUrl, 1, List.of()));
        locator.owner("nobody", new Location.Local(0, List.of()));

        assertThat(fleet.device("elsewhere", false)).isEqualTo(new DeviceAnswer.NotFound("elsewhere"));
        assertThat(fleet.device("nobody", false)).isEqualTo(new DeviceAnswer.NotFound("nobody"));
        assertThat(here.askedIds).containsExactly("nobody");
        assertThat(b.askedIds).containsExactly("elsewhere");
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void isUnknownEvenWhenAnInstanceThatDoesNotOwnTheDeviceIsDown() throws Exception {
        locator.instances.add(deadUrl());
        locator.owner("nobody", new Location.Local(0, List.of()));

        assertThat(fleet.device("nobody", false)).isEqualTo(new DeviceAnswer.NotFound("nobody"));
    }

    @Test
    void isUnavailableNotUnknownWhileTheNamedOwnerDoesNotProcessThePartitionYet() {
        b.partitions = java.util.Set.of(3);   // its metadata and ours disagree for a moment during a handover
        here.partitions = java.util.Set.of(4);
        locator.owner("moving", new Location.Remote(bUrl, 1, List.of()));
        locator.owner("moving-here", new Location.Local(5, List.of()));

        assertThat(fleet.device("moving", false)).isInstanceOf(DeviceAnswer.Unavailable.class);
        assertThat(fleet.device("moving-here", false)).isInstanceOf(DeviceAnswer.Unavailable.class);
    }

    @Test
    void isUnavailableNotUnknownWhileSomePartitionHasNoOwner() {
        locator.owner("nobody", new Location.Local(0, List.of()));
        locator.unassigned = List.of("partition 7 (no instance processes it right now)");

        assertThat(fleet.device("nobody", false)).isInstanceOf(DeviceAnswer.Unavailable.class);
    }

    @Test
    void isUnavailableWithoutAskingAnyoneWhileNoInstanceOwnsTheDevice() {
        locator.owner("d3", new Location.Unavailable("rebalancing"));

        assertThat(fleet.device("d3", false)).isInstanceOf(DeviceAnswer.Unavailable.class);
        assertThat(here.askedIds).isEmpty();
        assertThat(b.askedIds).isEmpty();
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void reportsAFailedPeerPromptlyWhenTheOwnerIsDown() throws Exception {
        String dead = deadUrl();
        locator.owner("d4", new Location.Remote(dead, 2, List.of(cUrl)));

        long start = System.nanoTime();
        DeviceAnswer answer = fleet.device("d4", false);

        assertThat(answer).isInstanceOf(DeviceAnswer.PeerFailed.class);
        assertThat(((DeviceAnswer.PeerFailed) answer).instance()).isEqualTo(dead);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void readsAStandbyCopyWhenStaleReadsAreAllowedAndTheOwnerIsDown() throws Exception {
        c.add("d5");
        locator.owner("d5", new Location.Remote(deadUrl(), 2, List.of(cUrl)));

        assertThat(fleet.device("d5", true)).isEqualTo(new DeviceAnswer.Found(view("d5"), cUrl));
    }

    @Test
    void readsItsOwnStandbyCopyWhenStaleReadsAreAllowedAndTheOwnerIsDown() throws Exception {
        here.add("d6");
        locator.owner("d6", new Location.Remote(deadUrl(), 1, List.of(SELF)));

        assertThat(fleet.device("d6", false)).isInstanceOf(DeviceAnswer.PeerFailed.class);
        assertThat(fleet.device("d6", true)).isEqualTo(new DeviceAnswer.Found(view("d6"), SELF));
    }

    @Test
    void isUnavailableWhileTheOwnerRestoresUnlessStaleReadsAreAllowed() {
        b.migrating = true;
        b.add("d7");
        locator.owner("d7", new Location.Remote(bUrl, 1, List.of(cUrl)));

        assertThat(fleet.device("d7", false)).isInstanceOf(DeviceAnswer.Unavailable.class);
        assertThat(fleet.device("d7", true)).isEqualTo(new DeviceAnswer.Found(view("d7"), bUrl));
    }

    @Test
    void answersAHistoryFromItsOwnStoresWhenTheActiveTaskIsHere() {
        here.add("d1");
        locator.owner("d1", new Location.Local(0, List.of(bUrl)));

        assertThat(fleet.history("d1", 50)).isEqualTo(new HistoryAnswer.Found(FakeFleet.history("d1"), SELF));
        assertThat(here.calls).containsExactly("owner of 0: history d1 (limit 50)");
        assertThat(b.askedIds).isEmpty();
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void forwardsAHistoryQuestionOnceToTheOwnerWithItsLimit() {
        String id = "room 4/sensor+1 ü𝄞";
        b.add(id);
        locator.owner(id, new Location.Remote(bUrl, 1, List.of(cUrl)));

        HistoryAnswer answer = fleet.history(id, 2);

        assertThat(answer).isInstanceOf(HistoryAnswer.Found.class);
        HistoryAnswer.Found found = (HistoryAnswer.Found) answer;
        assertThat(found.servedBy()).isEqualTo(bUrl);
        assertThat(found.history().deviceId()).isEqualTo(id);
        assertThat(found.history().transitions()).extracting(HistoryView.TransitionView::sequence).containsExactly(3L, 2L);
        assertThat(found.history().uptime()).isEqualTo(FakeFleet.history(id).uptime());
        assertThat(found.history().complete()).isTrue();
        assertThat(b.calls).containsExactly("owner of 1: history " + id + " (limit 2)");
        assertThat(c.askedIds).isEmpty();
    }

    @Test
    void aHistoryOfADeviceTheOwnerDoesNotKnowIsUnknownUnlessTheGroupIsMoving() {
        locator.owner("nobody", new Location.Remote(bUrl, 1, List.of()));
        assertThat(fleet.history("nobody", 50)).isEqualTo(new HistoryAnswer.NotFound("nobody"));

        locator.unassigned = List.of("partition 7 (no instance processes it right now)");
        assertThat(fleet.history("nobody", 50)).isInstanceOf(HistoryAnswer.Unavailable.class);
    }

    @Test
    void aHistoryIsUnavailableWhileNobodyOrNotYetTheNamedOwnerHasTheDevice() {
        b.partitions = java.util.Set.of(3);
        b.add("moving");
        locator.owner("moving", new Location.Remote(bUrl, 1, List.of()));
        locator.owner("d3", new Location.Unavailable("rebalancing"));

        assertThat(fleet.history("moving", 50)).isInstanceOf(HistoryAnswer.Unavailable.class);
        assertThat(fleet.history("d3", 50)).isEqualTo(new HistoryAnswer.Unavailable("rebalancing", 1));
        assertThat(here.askedIds).isEmpty();
    }

    @Test
    void aHistoryIsUnavailableWhileTheOwnerRestoresAndFailedWhenTheOwnerIsDown() throws Exception {
        b.migrating = true;
        b.add("d7");
        locator.owner("d7", new Location.Remote(bUrl, 1, List.of(cUrl)));
        String dead = deadUrl();
        locator.owner("d4", new Location.Remote(dead, 2, List.of(cUrl)));

        assertThat(fleet.history("d7", 50)).isInstanceOf(HistoryAnswer.Unavailable.class);
        assertThat(fleet.history("d4", 50)).isInstanceOfSatisfying(HistoryAnswer.PeerFailed.class,
                failed -> assertThat(failed.instance()).isEqualTo(dead));
        assertThat(c.askedIds).as("no standby reads for a history").isEmpty();
    }

    @Test
    void anOwnerWithoutHistoriesHasFailedNotForgottenTheDevice() throws Exception {
        HttpServer older = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        older.createContext("/devices", exchange -> {
            byte[] body = ("{\"error\":\"no such endpoint: " + exchange.getRequestURI().getRawPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        older.start();
        try {
            String olderUrl = "http://127.0.0.1:" + older.getAddress().getPort();
            locator.owner("d8", new Location.Remote(olderUrl, 1, List.of()));

            assertThat(fleet.history("d8", 50)).isInstanceOfSatisfying(HistoryAnswer.PeerFailed.class,
                    failed -> assertThat(failed.reason()).contains("a version before them"));
        } finally {
            older.stop(0);
        }
    }

    @Test
    void pagesThroughEveryInstanceInUtf8OrderWithoutGapsOrRepeats() {
        // U+FFFD sorts after U+1D11E in UTF-16 (String.compareTo) but before it in UTF-8.
        here.add("a1", "b1", "\uFFFD", "z");
        b.add("a2", "b2", "c2", "𝄞");
        c.add("a3", "c3");
        List<String> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            DevicePage page = fleet.devices(DeviceFilter.NONE, after, 3);
            assertThat(page.missing()).isEmpty();
            page.devices().forEach(device -> seen.add(device.deviceId()));
            after = page.next();
            if (after == null) {
                break;
            }
        }
        assertThat(after).isNull();
        assertThat(seen).containsExactly("a1", "a2", "a3", "b1", "b2", "c2", "c3", "z", "\uFFFD", "𝄞");
    }

    @Test
    void filtersReachEveryInstanceAndPagesStayExact() {
        here.add(device("a1", Status.OFFLINE, "pump", "site-7"), device("b1", Status.ONLINE, "pump", "site-7"),
                device("c1", Status.OFFLINE, "valve", "site-7"), device("d1", Status.OFFLINE, "pump", "site-7"));
        b.add(device("a2", Status.OFFLINE, "pump", "site-8"), device("b2", Status.OFFLINE, "pump", "site-7"),
                device("c2", Status.OFFLINE, "pump", "site-7"), device("e2", Status.OFFLINE, "pump", "site-7"));
        c.add(device("a3", Status.OFFLINE, "pump", null), device("d3", Status.OFFLINE, "pump", "site-7"));
        DeviceFilter filter = new DeviceFilter(Status.OFFLINE, "pump", "site-7");
        List<String> seen = new ArrayList<>();
        List<String> afters = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            afters.add(after);
            DevicePage page = fleet.devices(filter, after, 2);
            assertThat(page.missing()).isEmpty();
            page.devices().forEach(device -> seen.add(device.deviceId()));
            after = page.next();
            if (after == null) {
                break;
            }
        }
        assertThat(seen).containsExactly("a1", "b2", "c2", "d1", "d3", "e2");
        for (FakeFleet instance : List.of(here, b, c)) {
            assertThat(instance.devicesCalls).extracting(FakeFleet.DevicesCall::filter).containsOnly(filter);
            assertThat(instance.devicesCalls).extracting(FakeFleet.DevicesCall::after).containsExactlyElementsOf(afters);
        }
    }

    @Test
    void anInstanceThatIgnoresTheFiltersIsMissingNotWrong() throws Exception {
        HttpServer older = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        older.createContext("/devices", exchange -> {
            // A version before the filters lists every device of its own.
            byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("devices", List.of(device("a0", Status.ONLINE, "valve", "site-9")), "next", "a0"));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        older.start();
        try {
            String olderUrl = "http://127.0.0.1:" + older.getAddress().getPort();
            locator.instances.add(olderUrl);
            here.add(device("a", Status.ONLINE, "pump", "site-7"));

            DevicePage page = fleet.devices(new DeviceFilter(null, null, "site-7"), null, 10);

            assertThat(page.devices()).extracting(DeviceView::deviceId).containsExactly("a");
            assertThat(page.missing()).singleElement().asString().startsWith(olderUrl).contains("the filter does not match");
        } finally {
            older.stop(0);
        }
    }

    @Test
    void listsAndCountsSayWhichInstanceIsMissing() throws Exception {
        here.add("a");
        b.add("b");
        String dead = deadUrl();
        locator.instances.add(dead);
        locator.unassigned = List.of("partition 7 (no instance processes it right now)");

        DevicePage page = fleet.devices(DeviceFilter.NONE, null, 10);
        FleetStats stats = fleet.stats();

        assertThat(page.devices()).extracting(DeviceView::deviceId).containsExactly("a", "b");
        assertThat(page.missing()).hasSize(2).anySatisfy(m -> assertThat(m).startsWith(dead)).contains(locator.unassigned.get(0));
        assertThat(stats.total()).isEqualTo(2);
        assertThat(stats.missing()).hasSize(2).anySatisfy(m -> assertThat(m).startsWith(dead));
    }

    @Test
    void countsAcrossEveryInstance() {
        here.add("a", "b");
        b.add("c");
        c.add("d", "e", "f");

        assertThat(fleet.stats()).isEqualTo(new FleetStats(6, 6, 0, List.of()));
    }

    @Test
    void countsByGroupAndTypeAddUpPerKeyAcrossEveryInstanceInKeyOrder() {
        here.add(device("a", Status.ONLINE, "pump", "site-7"), device("b", Status.OFFLINE, null, "site-8"));
        b.add(device("c", Status.OFFLINE, "pump", "site-7"), device("d", Status.ONLINE, "valve", null));
        c.add(device("e", Status.ONLINE, null, "site-7"), device("f", Status.OFFLINE, "pump", "\uD834\uDD1E"),
                device("g", Status.ONLINE, "pump", "\uFFFD"));

        GroupCounts byGroup = fleet.countsBy(CountKind.GROUP);
        GroupCounts byType = fleet.countsBy(CountKind.DEVICE_TYPE);

        assertThat(byGroup).isEqualTo(new GroupCounts(List.of(
                GroupCount.of(null, 1, 0), GroupCount.of("site-7", 2, 1), GroupCount.of("site-8", 0, 1),
                GroupCount.of("\uFFFD", 1, 0), GroupCount.of("\uD834\uDD1E", 0, 1)), List.of()));
        assertThat(byType).isEqualTo(new GroupCounts(List.of(
                GroupCount.of(null, 1, 1), GroupCount.of("pump", 2, 2), GroupCount.of("valve", 1, 0)), List.of()));
        assertThat(b.calls).containsExactly("counts by group", "counts by deviceType");
    }

    @ParameterizedTest
    @EnumSource(GroupCountPage.Order.class)
    void pagesThroughTheFleetsCountsExactlyWithoutGapsOrRepeats(GroupCountPage.Order order) {
        // A group's devices on every instance, some groups without OFFLINE devices, and devices without a group.
        for (int i = 0; i < 60; i++) {
            FakeFleet instance = List.of(here, b, c).get(i % 3);
            Status status = i % 4 == 0 || i % 11 == 3 ? Status.OFFLINE : Status.ONLINE;
            instance.add(device("d" + i, status, null, i % 13 == 0 ? null : "site-" + (i % 9)));
        }
        List<GroupCount> expected = GroupCountPage.of(every(), order, null, 100).groups();
        for (int limit = 1; limit <= 11; limit++) {
            List<GroupCount> seen = new ArrayList<>();
            String after = null;
            for (int pages = 0; pages <= expected.size(); pages++) {
                GroupCountPage page = fleet.countsBy(CountKind.GROUP, order, after == null ? null : GroupCountPage.parse(after, order), limit);
                assertThat(page.groups()).hasSizeLessThanOrEqualTo(limit);
                assertThat(page.missing()).isEmpty();
                seen.addAll(page.groups());
                after = page.next();
                if (after == null) {
                    break;
                }
            }
            assertThat(after).as("limit %d ends", limit).isNull();
            assertThat(seen).as("limit %d", limit).isEqualTo(expected);
        }
    }

    @Test
    void aPageByKeyAsksEachInstanceForAPageOnly() {
        for (int i = 0; i < 30; i++) {
            List.of(here, b, c).get(i % 3).add(device("d" + i, Status.ONLINE, null, String.format("site-%02d", i)));
        }

        GroupCountPage page = fleet.countsBy(CountKind.GROUP, GroupCountPage.Order.KEY, null, 4);

        assertThat(page.groups()).extracting(GroupCount::key).containsExactly("site-00", "site-01", "site-02", "site-03");
        assertThat(b.calls).containsExactly("counts by group: " + new KeySelection.After(null, 4));
    }

    @Test
    void worstFirstCountsTheOfflineDevicesThenThePagesGroupsInFull() {
        here.add(device("a", Status.OFFLINE, null, "site-1"), device("b", Status.ONLINE, null, "site-2"));
        b.add(device("c", Status.ONLINE, null, "site-1"), device("d", Status.ONLINE, null, "site-1"));
        c.add(device("e", Status.OFFLINE, null, "site-3"), device("f", Status.OFFLINE, null, "site-3"), device("g", Status.ONLINE, null, "site-4"));

        GroupCountPage page = fleet.countsBy(CountKind.GROUP, GroupCountPage.Order.OFFLINE, null, 2);

        assertThat(page.groups()).containsExactly(GroupCount.of("site-3", 0, 2), GroupCount.of("site-1", 2, 1));
        assertThat(b.calls).containsExactly("counts by group: " + KeySelection.OFFLINE_DEVICES,
                "counts by group: " + new KeySelection.Keys(new LinkedHashSet<>(List.of("site-3", "site-1"))));
    }

    @Test
    void aPeerOfAVersionBeforeTheSelectionsAnswersEveryKeyAndPagesStayExact() throws Exception {
        HttpServer older = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        older.createContext("/stats", exchange -> {
            byte[] body = ("{\"by\":\"group\",\"groups\":[{\"key\":null,\"total\":1,\"online\":1,\"offline\":0},"
                    + "{\"key\":\"site-1\",\"total\":3,\"online\":2,\"offline\":1},{\"key\":\"site-2\",\"total\":1,\"online\":1,\"offline\":0},"
                    + "{\"key\":\"site-3\",\"total\":4,\"online\":4,\"offline\":0}],\"next\":null}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        older.start();
        try {
            locator.instances = new ArrayList<>(List.of(SELF, "http://127.0.0.1:" + older.getAddress().getPort()));
            here.add(device("a", Status.OFFLINE, null, "site-2"), device("b", Status.ONLINE, null, "site-3"));

            GroupCountPage worst = fleet.countsBy(CountKind.GROUP, GroupCountPage.Order.OFFLINE, null, 3);
            GroupCountPage byKey = fleet.countsBy(CountKind.GROUP, GroupCountPage.Order.KEY,
                    GroupCountPage.parse(new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, "site-1").text(), GroupCountPage.Order.KEY), 1);

            assertThat(worst.groups()).containsExactly(GroupCount.of("site-1", 2, 1), GroupCount.of("site-2", 1, 1), GroupCount.of(null, 1, 0));
            assertThat(byKey.groups()).containsExactly(GroupCount.of("site-2", 1, 1));
            assertThat(byKey.next()).isNotNull();
        } finally {
            older.stop(0);
        }
    }

    @Test
    void asksForManyKeysInSeveralRequestsEachWithinTheTargetLimit() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = String.format("%03d-", i) + "\uD834\uDD1E".repeat(60);
            keys.add(key);
            here.add(device("d" + i, Status.OFFLINE, null, key));
            b.add(device("e" + i, Status.ONLINE, null, key));
        }

        GroupCountPage page = fleet.countsBy(CountKind.GROUP, GroupCountPage.Order.OFFLINE, null, 40);

        assertThat(page.groups()).extracting(GroupCount::key).containsExactlyElementsOf(keys);
        assertThat(page.groups()).allSatisfy(count -> assertThat(count).isEqualTo(GroupCount.of(count.key(), 1, 1)));
        assertThat(b.calls.size()).isGreaterThan(2);
    }

    @Test
    void countsByGroupSayWhichInstanceIsMissing() throws Exception {
        here.add(device("a", Status.ONLINE, null, "site-7"));
        b.add(device("b", Status.ONLINE, null, "site-7"));
        c.missing = List.of("http://c partition 3");
        String dead = deadUrl();
        locator.instances.add(dead);
        locator.unassigned = List.of("partition 7 (no instance processes it right now)");

        GroupCounts counts = fleet.countsBy(CountKind.GROUP);

        assertThat(counts.groups()).containsExactly(GroupCount.of("site-7", 2, 0));
        assertThat(counts.missing()).hasSize(3).contains("http://c partition 3", locator.unassigned.get(0))
                .anySatisfy(m -> assertThat(m).startsWith(dead));
    }

    @Test
    void anInstanceThatAnswersWithoutCountsByGroupIsMissingNotEmpty() throws Exception {
        HttpServer older = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        older.createContext("/stats", exchange -> {
            byte[] body = "{\"total\":4,\"online\":4,\"offline\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        older.start();
        try {
            String olderUrl = "http://127.0.0.1:" + older.getAddress().getPort();
            locator.instances.add(olderUrl);
            here.add(device("a", Status.ONLINE, null, "site-7"));

            GroupCounts counts = fleet.countsBy(CountKind.GROUP);

            assertThat(counts.groups()).containsExactly(GroupCount.of("site-7", 1, 0));
            assertThat(counts.missing()).singleElement().asString().startsWith(olderUrl).contains("without counts by group");
        } finally {
            older.stop(0);
        }
    }

    /** Every key's counts over the three instances, as one instance holding every device would count them. */
    private List<GroupCount> every() {
        GroupCounts.Sum sum = new GroupCounts.Sum();
        for (FakeFleet instance : List.of(here, b, c)) {
            sum.add(instance.countsBy(CountKind.GROUP).groups());
        }
        return sum.counts(List.of()).groups();
    }

    private static DeviceView view(String id) {
        return new FakeFleet("x").add(id).devices(DeviceFilter.NONE, null, 1).devices().get(0);
    }

    /** A peer serving its stores; anything but a local-only question is a test failure (500). */
    private FakeFleet serve() {
        ApiServer server = ApiServer.bind("127.0.0.1", 0);
        FakeFleet stores = new FakeFleet("http://127.0.0.1:" + server.port());
        server.start(new LocalOnlyGuard(stores));
        servers.add(server);
        return stores;
    }

    /** A port nothing listens on: connecting is refused at once, as with a crashed instance. */
    private static String deadUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static final class FakeLocator implements Locator {
        final Map<String, Location> owners = new HashMap<>();
        List<String> instances = List.of();
        List<String> unassigned = List.of();

        void owner(String deviceId, Location location) {
            owners.put(deviceId, location);
        }

        @Override
        public String self() {
            return SELF;
        }

        @Override
        public Location locate(String deviceId) {
            return owners.getOrDefault(deviceId, new Location.Unavailable("not set up"));
        }

        @Override
        public List<String> instances() {
            return instances;
        }

        @Override
        public List<String> unassignedPartitions() {
            return unassigned;
        }
    }

    /** The peer's API must only ever be asked local-only questions. */
    private static final class LocalOnlyGuard implements FleetQueries {
        private final FakeFleet stores;

        LocalOnlyGuard(FakeFleet stores) {
            this.stores = stores;
        }

        @Override
        public FleetQueries localOnly() {
            return stores;
        }

        @Override
        public DeviceAnswer device(String deviceId, boolean allowStale) {
            throw new IllegalStateException("forwarded without the local-only marker");
        }

        @Override
        public HistoryAnswer history(String deviceId, int limit) {
            throw new IllegalStateException("forwarded without the local-only marker");
        }

        @Override
        public DevicePage devices(DeviceFilter filter, String after, int limit) {
            throw new IllegalStateException("fanned out without the local-only marker");
        }

        @Override
        public FleetStats stats() {
            throw new IllegalStateException("fanned out without the local-only marker");
        }

        @Override
        public GroupCounts countsBy(CountKind kind, KeySelection which) {
            throw new IllegalStateException("fanned out without the local-only marker");
        }

        @Override
        public List<InstanceView> instances() {
            return List.of();
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean live() {
            return true;
        }
    }
}
