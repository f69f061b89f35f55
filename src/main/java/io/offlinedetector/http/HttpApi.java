package io.offlinedetector.http;

import io.offlinedetector.domain.Status;
import io.offlinedetector.feed.StatusFilter;
import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.query.DevicePage;
import io.offlinedetector.query.FleetQueries;
import io.offlinedetector.query.FleetStats;
import io.offlinedetector.query.PeerProtocol;
import io.offlinedetector.topology.DeviceIds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTTP API of SPEC §4 as a route table over {@link FleetQueries}. */
public final class HttpApi {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Names the instance that read the device's state, so clients can see forwarding at work. */
    public static final String SERVED_BY_HEADER = PeerProtocol.SERVED_BY_HEADER;

    private final FleetQueries fleet;
    private final Operations operations;
    private final StaticContent dashboard = new StaticContent();

    public HttpApi(FleetQueries fleet) {
        this(fleet, Operations.none());
    }

    public HttpApi(FleetQueries fleet, Operations operations) {
        this.fleet = fleet;
        this.operations = operations;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/devices/{id}", this::device),
                Route.delete("/devices/{id}", this::removeDevice),
                Route.get("/devices", this::devices),
                Route.get("/stats", this::stats),
                Route.get("/instances", request -> Response.ok(Map.of("instances", fleet.instances()))),
                Route.get("/health", this::health),
                Route.get("/ready", this::ready),
                Route.get("/", dashboard::page),
                Route.get("/dashboard/{file}", dashboard::asset),
                Route.get("/events", this::events),
                Route.get("/metrics", this::metrics));
    }

    private Response device(Request request) {
        String id = validId(request.pathParam("id"), "device id");
        boolean allowStale = flag(request, PeerProtocol.ALLOW_STALE_PARAM);
        String partition = request.queryParam(PeerProtocol.PARTITION_PARAM);
        DeviceAnswer answer = partition == null
                ? scope(request).device(id, allowStale)
                : fleet.localOnly().deviceAsOwner(id, allowStale, partition(partition));
        if (answer instanceof DeviceAnswer.Found found) {
            return Response.ok(found.device()).withHeader(SERVED_BY_HEADER, found.servedBy());
        }
        if (answer instanceof DeviceAnswer.Unavailable unavailable) {
            throw ApiException.unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
        }
        if (answer instanceof DeviceAnswer.PeerFailed failed) {
            throw new ApiException(502, "instance " + failed.instance() + " failed to answer: " + failed.reason());
        }
        throw ApiException.notFound("unknown device '" + id + "'");
    }

    /**
     * Removes a device through Kafka, so every instance agrees: 202 once the request is durably
     * written; the owner then drops its state and publishes a tombstone on device-status.
     */
    private Response removeDevice(Request request) {
        operations.admin().authorize(request.header("Authorization"));
        String id = validId(request.pathParam("id"), "device id");
        DeviceAnswer answer = fleet.device(id);
        if (answer instanceof DeviceAnswer.Unavailable unavailable) {
            throw ApiException.unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
        }
        if (answer instanceof DeviceAnswer.NotFound) {
            throw ApiException.notFound("unknown device '" + id + "'");
        }
        try {
            operations.admin().removal().requestRemoval(id);
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage(), Map.of("Retry-After", "5"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deviceId", id);
        body.put("removal", "REQUESTED");
        return new Response(202, body, Map.of());
    }

    private Response devices(Request request) {
        Status status = status(request.queryParam("status"));
        int limit = limit(request.queryParam("limit"));
        String after = request.queryParam("after");
        if (after != null) {
            validId(after, "after");
        }
        DevicePage page = scope(request).devices(status, after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devices", page.devices());
        body.put("next", page.next());
        partial(body, page.missing());
        return Response.ok(body);
    }

    private Response stats(Request request) {
        FleetStats stats = scope(request).stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", stats.total());
        body.put("online", stats.online());
        body.put("offline", stats.offline());
        partial(body, stats.missing());
        return Response.ok(body);
    }

    private Response health(Request request) {
        if (!fleet.live()) {
            throw new ApiException(503, "stream processing has failed");
        }
        return Response.ok(Map.of("status", "UP"));
    }

    private Response ready(Request request) {
        if (!fleet.ready()) {
            throw ApiException.unavailable("not ready: stream processing is starting, rebalancing or stopped", 1);
        }
        return Response.ok(Map.of("status", "READY"));
    }

    /** {@code GET /events?status=OFFLINE&device=sensor-*}: the live feed as Server-Sent Events. */
    private Response events(Request request) {
        if (operations.events() == null) {
            throw new ApiException(503, "this instance has no live feed");
        }
        String device = request.queryParam("device");
        if (device != null && !device.isEmpty()) {
            validId(device, "device");
        }
        return operations.events().subscribe(new StatusFilter(status(request.queryParam("status")), device));
    }

    private Response metrics(Request request) {
        if (operations.metrics() == null) {
            throw new ApiException(503, "this instance has no metrics");
        }
        Response.Content scrape = operations.metrics().get();
        return Response.content(scrape.contentType(), scrape.bytes());
    }

    /** Another instance asking for this instance's own state only: never forwarded again. */
    private FleetQueries scope(Request request) {
        return flag(request, PeerProtocol.LOCAL_ONLY_PARAM) ? fleet.localOnly() : fleet;
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

    private static boolean flag(Request request, String name) {
        String value = request.queryParam(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw ApiException.badRequest(name + " must be true or false");
    }

    /** A fan-out that could not reach everything says so, and what is missing. */
    private static void partial(Map<String, Object> body, List<String> missing) {
        if (!missing.isEmpty()) {
            body.put("partial", true);
            body.put("missing", missing);
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

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
