package io.offlinedetector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.query.DeviceFilter;
import io.offlinedetector.query.DevicePage;
import io.offlinedetector.query.FleetQueries;
import io.offlinedetector.query.FleetStats;
import io.offlinedetector.query.GroupCount;
import io.offlinedetector.query.GroupCountPage;
import io.offlinedetector.query.GroupCounts;
import io.offlinedetector.query.HistoryAnswer;
import io.offlinedetector.query.HistoryView;
import io.offlinedetector.query.KeySelection;
import io.offlinedetector.query.PeerProtocol;
import io.offlinedetector.topology.DeviceIds;
import io.offlinedetector.topology.HeartbeatParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP API as a route table over {@link FleetQueries} (see docs/http-api.md). Every answer is
 * JSON; failures are {@link ApiException}s, which {@link JsonErrors} turns into statuses.
 */
public final class HttpApi {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Names the instance that read the device's state, so clients can see forwarding at work. */
    public static final String SERVED_BY_HEADER = PeerProtocol.SERVED_BY_HEADER;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DASHBOARD_PAGE = resource("/dashboard/index.html");
    /** The API as an OpenAPI 3 document; {@code OpenApiContractTest} holds real answers and the route table to it. */
    private static final byte[] OPENAPI = resource("/openapi.json");

    /** What the API serves from; {@code null} until {@link #serve}, and the API answers 503 until then. */
    private volatile Serving serving;

    private record Serving(FleetQueries fleet, OperatorServices services) {}

    void serve(FleetQueries fleet, OperatorServices services) {
        serving = new Serving(fleet, services);
    }

    void routes(JavalinDefaultRoutingApi routes, RequestLanes lanes) {
        routes.before(ctx -> ctx.header("Cache-Control", "no-store"));
        get(routes, "/devices/{id}", lanes.lane(timed("GET", "/devices/{id}", this::device)));
        get(routes, "/devices/{id}/history", lanes.lane(timed("GET", "/devices/{id}/history", this::history)));
        routes.delete("/devices/{id}", lanes.lane(timed("DELETE", "/devices/{id}", this::removeDevice)));
        get(routes, "/devices", lanes.lane(timed("GET", "/devices", this::devices)));
        get(routes, "/stats", lanes.lane(timed("GET", "/stats", this::stats)));
        get(routes, "/instances", lanes.lane(timed("GET", "/instances", ctx -> ok(ctx, Map.of("instances", fleet().instances())))));
        get(routes, "/health", timed("GET", "/health", this::health));
        get(routes, "/ready", timed("GET", "/ready", this::ready));
        get(routes, "/metrics", timed("GET", "/metrics", this::metrics));
        get(routes, "/", this::dashboard);
        get(routes, "/openapi.json", ctx -> send(ctx, JsonErrors.CONTENT_TYPE, OPENAPI));
        routes.before("/events", this::admitToLiveFeed);
        routes.sse("/events", this::followLiveFeed);
    }

    /** GET, and HEAD with the same status and headers (Jetty leaves the body out). */
    private static void get(JavalinDefaultRoutingApi routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
    }

    private void device(Context ctx) {
        String id = validId(ctx.pathParam("id"), "device id");
        boolean allowStale = flag(ctx, PeerProtocol.ALLOW_STALE_PARAM);
        String partition = ctx.queryParam(PeerProtocol.PARTITION_PARAM);
        DeviceAnswer answer = partition == null
                ? scope(ctx).device(id, allowStale)
                : fleet().localOnly().deviceAsOwner(id, allowStale, partition(partition));
        if (answer instanceof DeviceAnswer.Found found) {
            ctx.header(SERVED_BY_HEADER, found.servedBy());
            ok(ctx, found.device());
            return;
        }
        if (answer instanceof DeviceAnswer.Unavailable unavailable) {
            throw ApiException.unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
        }
        if (answer instanceof DeviceAnswer.PeerFailed failed) {
            throw new ApiException(502, "instance " + failed.instance() + " failed to answer: " + failed.reason());
        }
        throw ApiException.notFound("unknown device '" + id + "'");
    }

    /** {@code GET /devices/{id}/history?limit=50}: from the device's owner, forwarded as {@link #device} is. */
    private void history(Context ctx) {
        String id = validId(ctx.pathParam("id"), "device id");
        int limit = limit(ctx.queryParam("limit"), HistoryView.DEFAULT_LIMIT, HistoryView.MAX_LIMIT);
        String partition = ctx.queryParam(PeerProtocol.PARTITION_PARAM);
        HistoryAnswer answer = partition == null
                ? scope(ctx).history(id, limit)
                : fleet().localOnly().historyAsOwner(id, limit, partition(partition));
        if (answer instanceof HistoryAnswer.Found found) {
            ctx.header(SERVED_BY_HEADER, found.servedBy());
            ok(ctx, found.history());
            return;
        }
        if (answer instanceof HistoryAnswer.Unavailable unavailable) {
            throw ApiException.unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
        }
        if (answer instanceof HistoryAnswer.PeerFailed failed) {
            throw new ApiException(502, "instance " + failed.instance() + " failed to answer: " + failed.reason());
        }
        throw ApiException.notFound("unknown device '" + id + "'");
    }

    /**
     * Removes a device through Kafka, so every instance agrees: 202 once the request is durably
     * written; the owner then drops its state and publishes a tombstone on device-status.
     */
    private void removeDevice(Context ctx) {
        services().admin().authorize(ctx.header("Authorization"));
        String id = validId(ctx.pathParam("id"), "device id");
        DeviceAnswer answer = fleet().device(id);
        if (answer instanceof DeviceAnswer.Unavailable unavailable) {
            throw ApiException.unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
        }
        if (answer instanceof DeviceAnswer.NotFound) {
            throw ApiException.notFound("unknown device '" + id + "'");
        }
        try {
            services().admin().removal().requestRemoval(id);
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage(), Map.of("Retry-After", "5"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", id);
        body.put("removal", "REQUESTED");
        ctx.status(202);
        json(ctx, body);
    }

    private void devices(Context ctx) {
        DeviceFilter filter = new DeviceFilter(status(ctx.queryParam("status")),
                key(ctx.queryParam("deviceType"), "deviceType", HeartbeatParser.MAX_DEVICE_TYPE_CHARS),
                key(ctx.queryParam("group"), "group", HeartbeatParser.MAX_GROUP_CHARS));
        int limit = limit(ctx.queryParam("limit"));
        String after = ctx.queryParam("after");
        if (after != null) {
            validId(after, "after");
        }
        DevicePage page = scope(ctx).devices(filter, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devices", page.devices());
        body.put("next", page.next());
        partial(ctx, PartialAnswers.DEVICES, body, page.missing());
        ok(ctx, body);
    }

    private void stats(Context ctx) {
        CountKind by = countKind(ctx.queryParam("by"));
        if (by != null) {
            countsBy(ctx, by);
            return;
        }
        for (String paging : List.of("sort", "limit", "after")) {
            if (!blank(ctx.queryParam(paging))) {
                throw ApiException.badRequest(paging + " goes with by=group or by=deviceType");
            }
        }
        FleetStats stats = scope(ctx).stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", stats.total());
        body.put("online", stats.online());
        body.put("offline", stats.offline());
        partial(ctx, PartialAnswers.STATS, body, stats.missing());
        ok(ctx, body);
    }

    /** {@code GET /stats?by=group&sort=offline&limit=&after=}: counts by group (or device type), a page at a time. */
    private void countsBy(Context ctx, CountKind by) {
        if (flag(ctx, PeerProtocol.LOCAL_ONLY_PARAM)) {
            ownCountsBy(ctx, by);
            return;
        }
        GroupCountPage.Order order = order(ctx.queryParam("sort"));
        int limit = limit(ctx.queryParam("limit"));
        GroupCountPage.Cursor after = cursor(ctx.queryParam("after"), order);
        GroupCountPage page = fleet().countsBy(by, order, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", by.field());
        body.put("groups", page.groups());
        body.put("next", page.next());
        partial(ctx, PartialAnswers.countsBy(by), body, page.missing());
        ok(ctx, body);
    }

    /** Another instance asks for part of this instance's own counts by key, to add them to the others' (see {@link KeySelection}). */
    private void ownCountsBy(Context ctx, CountKind by) {
        KeySelection which;
        try {
            which = PeerProtocol.countsSelection(ctx::queryParams);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        GroupCounts counts = fleet().localOnly().countsBy(by, which);
        List<GroupCount> groups = counts.groups();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", by.field());
        body.put("groups", groups);
        body.put("next", counts.more() && !groups.isEmpty()
                ? new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, groups.get(groups.size() - 1).key()).text() : null);
        partial(ctx, PartialAnswers.countsBy(by), body, counts.missing());
        ok(ctx, body);
    }

    private void health(Context ctx) {
        if (!fleet().live()) {
            throw new ApiException(503, "stream processing has failed");
        }
        ok(ctx, Map.of("status", "UP"));
    }

    private void ready(Context ctx) {
        if (!fleet().ready()) {
            throw ApiException.unavailable("not ready: stream processing is starting, rebalancing or stopped", 1);
        }
        ok(ctx, Map.of("status", "READY"));
    }

    private void metrics(Context ctx) {
        if (services().metrics() == null) {
            throw new ApiException(503, "this instance has no metrics");
        }
        OperatorServices.Scrape scrape = services().metrics().get();
        send(ctx.header("X-Content-Type-Options", "nosniff"), scrape.contentType(), scrape.bytes());
    }

    /** {@code GET /}: the dashboard page; its style sheet and script are static files under /dashboard/. */
    private void dashboard(Context ctx) {
        send(ctx.header("Cache-Control", "no-cache").header("X-Content-Type-Options", "nosniff"), "text/html; charset=utf-8", DASHBOARD_PAGE);
    }

    /** Before {@code GET /events} streams: a bad filter is 400, and a full or missing feed 503, as JSON. */
    private void admitToLiveFeed(Context ctx) {
        liveFilter(ctx);
        if (services().events() == null) {
            throw new ApiException(503, "this instance has no live feed");
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            // Javalin streams events only to clients that ask for them, as browsers' EventSource does.
            throw new ApiException(406, "the live feed is Server-Sent Events: send 'Accept: text/event-stream'");
        }
        services().events().admit();
    }

    /** {@code GET /events?status=OFFLINE&device=sensor-*}: the live feed as Server-Sent Events. */
    private void followLiveFeed(SseClient client) {
        client.keepAlive();
        services().events().follow(liveFilter(client.ctx()), new JavalinEventSink(client));
    }

    private StatusFilter liveFilter(Context ctx) {
        String device = ctx.queryParam("device");
        if (device != null && !device.isEmpty()) {
            validId(device, "device");
        }
        return new StatusFilter(status(ctx.queryParam("status")), device);
    }

    /** Each answer's time, by route template (so that ids do not multiply the series); an error counts with its status. */
    private Handler timed(String method, String route, Handler handler) {
        return ctx -> {
            long started = System.nanoTime();
            int status = 500;
            try {
                handler.handle(ctx);
                status = ctx.statusCode();
            } catch (ApiException e) {
                status = e.status();
                throw e;
            } finally {
                Serving now = serving;
                if (now != null) {
                    now.services().timer().record(method, route, status, System.nanoTime() - started);
                }
            }
        };
    }

    private FleetQueries fleet() {
        return current().fleet();
    }

    private OperatorServices services() {
        return current().services();
    }

    private Serving current() {
        Serving now = serving;
        if (now == null) {
            throw ApiException.unavailable("starting", 1);
        }
        return now;
    }

    private static void ok(Context ctx, Object body) {
        json(ctx, body);
    }

    private static void json(Context ctx, Object body) {
        try {
            send(ctx, JsonErrors.CONTENT_TYPE, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Writes the whole body at once, straight to the response: Javalin's own result copies through a
     * fresh 32 KiB buffer per answer, which was most of what an answer allocated. Javalin still
     * decides on compression at this one write, by its size, and completes the response after.
     */
    static void send(Context ctx, String contentType, byte[] body) {
        try {
            ctx.contentType(contentType).outputStream().write(body);
        } catch (IOException e) {
            // The client went away: there is no one to answer.
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another instance asking for this instance's own state only: never forwarded again. */
    private FleetQueries scope(Context ctx) {
        return flag(ctx, PeerProtocol.LOCAL_ONLY_PARAM) ? fleet().localOnly() : fleet();
    }

    /** The partition a peer expects this instance to own (see {@link PeerProtocol#PARTITION_PARAM}). */
    private static int partition(String value) {
        try {
            int partition = Integer.parseInt(value);
            if (partition >= 0) {
                return partition;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(PeerProtocol.PARTITION_PARAM + " must be a partition number");
    }

    private static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw ApiException.badRequest(name + " must be true or false");
    }

    /**
     * A fan-out that could not reach everything says so, and what is missing; a client's partial
     * answer is counted. A peer's local-only answer is not: the instance that asked it counts the
     * answer it gives its own client, so each partial answer counts once.
     */
    private void partial(Context ctx, String route, Map<String, Object> body, List<String> missing) {
        if (!missing.isEmpty()) {
            body.put("partial", true);
            body.put("missing", missing);
            if (!flag(ctx, PeerProtocol.LOCAL_ONLY_PARAM)) {
                services().partialAnswers().record(route);
            }
        }
    }

    private static String validId(String id, String what) {
        String problem = DeviceIds.problem(id);
        if (problem != null) {
            throw ApiException.badRequest("invalid " + what + ": " + problem);
        }
        return id;
    }

    private static Status status(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.equals("ONLINE")) {
            return Status.ONLINE;
        }
        if (upper.equals("OFFLINE")) {
            return Status.OFFLINE;
        }
        throw ApiException.badRequest("status must be ONLINE or OFFLINE");
    }

    /** A device type or group to filter by, as long as a heartbeat may name; empty: no filter. */
    private static String key(String value, String name, int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw ApiException.badRequest(name + " is longer than " + maxChars + " characters");
        }
        return blank(value) ? null : value;
    }

    private static CountKind countKind(String value) {
        if (blank(value)) {
            return null;
        }
        CountKind kind = CountKind.ofField(value);
        if (kind == null) {
            throw ApiException.badRequest("by must be group or deviceType");
        }
        return kind;
    }

    private static GroupCountPage.Order order(String value) {
        if (blank(value)) {
            return GroupCountPage.Order.KEY;
        }
        if (value.equals("offline")) {
            return GroupCountPage.Order.OFFLINE;
        }
        throw ApiException.badRequest("sort must be offline (most OFFLINE devices first), or left out for key order");
    }

    private static GroupCountPage.Cursor cursor(String value, GroupCountPage.Order order) {
        if (blank(value)) {
            return null;
        }
        try {
            return GroupCountPage.parse(value, order);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    private static int limit(String value) {
        return limit(value, DEFAULT_LIMIT, MAX_LIMIT);
    }

    private static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null || value.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit must be a whole number from 1 to " + maxLimit);
    }
}
