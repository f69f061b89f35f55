package io.offlinedetector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.CountKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Asks another instance, over its public HTTP API, for what its own stores hold
 * ({@link PeerProtocol#LOCAL_ONLY_PARAM}). Every call is bounded by a connect and a request
 * timeout, so a peer that is gone or hung costs at most those. A device's question waits for its
 * answer; lists and counts are asked asynchronously, so that the caller can ask several peers at once.
 *
 * <p>The client is Jetty's, the server's own: per question it allocated about a third of what the
 * JDK's client did (5 against 16 KiB, measured in-process), whose asynchronous answers also start a
 * thread each where the common pool has a single thread (two cores).
 */
public final class PeerClient implements AutoCloseable {

    /** The largest answer read: every group's counts of a fleet with very many groups, about 55 bytes a group. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    /**
     * Below the instances' own idle timeout (30 s), so that the client, not the peer, closes a pooled
     * connection, and no question goes out on a connection that the peer is closing.
     */
    private static final long IDLE_TIMEOUT_MS = 20_000;
    /** Threads for the answers' callbacks: they parse JSON and never wait. */
    private static final int THREADS = 8;

    /** A peer that did not give a usable answer: down, hung, or answering something unexpected. */
    public static final class PeerException extends RuntimeException {
        PeerException(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http;
    private final long requestTimeoutMillis;
    private final ObjectMapper json = new ObjectMapper();

    public PeerClient(Duration connectTimeout, Duration requestTimeout) {
        this.requestTimeoutMillis = requestTimeout.toMillis();
        this.http = new HttpClient();
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setIdleTimeout(IDLE_TIMEOUT_MS);
        http.setFollowRedirects(false);
        // Instances are on one host or a LAN: compressed answers would cost both sides CPU for nothing.
        http.getContentDecoderFactories().clear();
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 1);
        threads.setName("peer-client");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("peer-client-timeouts", true));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client that asks other instances", e);
        }
    }

    /** The device as the peer's own stores have it; a failure is {@link DeviceAnswer.PeerFailed}, never an exception. */
    public DeviceAnswer device(String peer, String deviceId, boolean allowStale) {
        return device(peer, deviceId, allowStale, -1);
    }

    /**
     * @param ownedPartition the partition the peer should process as the device's owner, which makes
     *     "not processed here yet" a 503 rather than a 404; -1 when the peer is asked as one of many
     */
    public DeviceAnswer device(String peer, String deviceId, boolean allowStale, int ownedPartition) {
        String query = PeerProtocol.LOCAL_ONLY_PARAM + "=true" + (allowStale ? "&" + PeerProtocol.ALLOW_STALE_PARAM + "=true" : "")
                + (ownedPartition >= 0 ? "&" + PeerProtocol.PARTITION_PARAM + "=" + ownedPartition : "");
        ContentResponse response;
        try {
            response = send(peer, "/devices/" + encode(deviceId), query);
        } catch (PeerException e) {
            return new DeviceAnswer.PeerFailed(peer, e.getMessage());
        }
        return switch (response.getStatus()) {
            case 200 -> {
                try {
                    yield new DeviceAnswer.Found(read(peer, response.getContent(), DeviceView.class), servedBy(response, peer));
                } catch (PeerException e) {
                    yield new DeviceAnswer.PeerFailed(peer, e.getMessage());
                }
            }
            case 404 -> new DeviceAnswer.NotFound(deviceId);
            case 503 -> new DeviceAnswer.Unavailable(peer + " cannot answer right now: " + error(response), retryAfter(response));
            default -> new DeviceAnswer.PeerFailed(peer, "answered " + response.getStatus() + ": " + error(response));
        };
    }

    /**
     * The device's history as the peer's own stores have it, asked of the peer as the owner of
     * {@code ownedPartition}; a failure is {@link HistoryAnswer.PeerFailed}, never an exception.
     */
    public HistoryAnswer history(String peer, String deviceId, int limit, int ownedPartition) {
        String query = PeerProtocol.LOCAL_ONLY_PARAM + "=true&limit=" + limit + "&" + PeerProtocol.PARTITION_PARAM + "=" + ownedPartition;
        ContentResponse response;
        try {
            response = send(peer, "/devices/" + encode(deviceId) + "/history", query);
        } catch (PeerException e) {
            return new HistoryAnswer.PeerFailed(peer, e.getMessage());
        }
        return switch (response.getStatus()) {
            case 200 -> {
                try {
                    yield new HistoryAnswer.Found(read(peer, response.getContent(), HistoryView.class), servedBy(response, peer));
                } catch (PeerException e) {
                    yield new HistoryAnswer.PeerFailed(peer, e.getMessage());
                }
            }
            // A version before histories has no such route: that is no news about the device.
            case 404 -> error(response).startsWith(PeerProtocol.NO_SUCH_ENDPOINT)
                    ? new HistoryAnswer.PeerFailed(peer, "has no device histories (a version before them?)")
                    : new HistoryAnswer.NotFound(deviceId);
            case 503 -> new HistoryAnswer.Unavailable(peer + " cannot answer right now: " + error(response), retryAfter(response));
            default -> new HistoryAnswer.PeerFailed(peer, "answered " + response.getStatus() + ": " + error(response));
        };
    }

    /**
     * One page from the peer's own partitions; fails with {@link PeerException} unless the peer
     * answers 200 with devices the filter matches (one of a version before the filters by group and
     * type answers every device: its page would leave out some that match).
     */
    public CompletableFuture<DevicePage> devices(String peer, DeviceFilter filter, String after, int limit) {
        StringBuilder query = new StringBuilder(PeerProtocol.LOCAL_ONLY_PARAM + "=true&limit=" + limit);
        if (filter.status() != null) {
            query.append("&status=").append(filter.status().name());
        }
        for (CountKind kind : CountKind.values()) {
            if (filter.key(kind) != null) {
                query.append('&').append(kind.field()).append('=').append(encode(filter.key(kind)));
            }
        }
        if (after != null) {
            query.append("&after=").append(encode(after));
        }
        return get(peer, "/devices", query.toString()).thenApply(response -> {
            JsonNode body = ok(peer, response);
            List<DeviceView> devices = new ArrayList<>();
            for (JsonNode device : body.path("devices")) {
                DeviceView view = json.convertValue(device, DeviceView.class);
                if (!filter.matches(view)) {
                    throw new PeerException(peer + " answered devices the filter does not match (a version before the filters?)");
                }
                devices.add(view);
            }
            JsonNode next = body.path("next");
            return new DevicePage(devices, next.isTextual() ? next.textValue() : null, missing(body));
        });
    }

    /** The peer's own counts; fails with {@link PeerException} unless the peer answers 200. */
    public CompletableFuture<FleetStats> stats(String peer) {
        return get(peer, "/stats", PeerProtocol.LOCAL_ONLY_PARAM + "=true").thenApply(response -> {
            JsonNode body = ok(peer, response);
            return new FleetStats(body.path("total").asLong(), body.path("online").asLong(), body.path("offline").asLong(), missing(body));
        });
    }

    /**
     * What {@code which} picks of the counts by key of the peer's own partitions; fails with
     * {@link PeerException} unless the peer answers 200 with them (one of a version before counts by
     * key answers the plain counts). One of a version before the selections answers every key, which
     * the asker cuts to the selection ({@link KeySelection#admit}).
     */
    public CompletableFuture<GroupCounts> countsBy(String peer, CountKind kind, KeySelection which) {
        if (!(which instanceof KeySelection.Keys keys)) {
            return countsBy(peer, kind, PeerProtocol.countsQuery(kind, which));
        }
        // Many keys go in several questions, each within the length of a request target.
        String first = PeerProtocol.countsQuery(kind, which);
        List<KeySelection.Keys> parts = new ArrayList<>();
        List<CompletableFuture<GroupCounts>> answers = new ArrayList<>();
        StringBuilder query = new StringBuilder(first);
        Set<String> part = new LinkedHashSet<>();
        for (String key : keys.keys()) {
            String param = PeerProtocol.keyParam(key);
            if (!part.isEmpty() && query.length() + param.length() > PeerProtocol.MAX_QUERY_CHARS) {
                parts.add(new KeySelection.Keys(part));
                answers.add(countsBy(peer, kind, query.toString()));
                query = new StringBuilder(first);
                part = new LinkedHashSet<>();
            }
            query.append(param);
            part.add(key);
        }
        if (!part.isEmpty()) {
            parts.add(new KeySelection.Keys(part));
            answers.add(countsBy(peer, kind, query.toString()));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            GroupCounts.Sum sum = new GroupCounts.Sum();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                GroupCounts answer = answers.get(i).join();
                sum.add(answer, parts.get(i)); // each part's own keys, even from a peer that answers every key
                missing.addAll(answer.missing());
            }
            return sum.counts(missing.stream().distinct().toList());
        });
    }

    private CompletableFuture<GroupCounts> countsBy(String peer, CountKind kind, String query) {
        return get(peer, "/stats", query).thenApply(response -> {
            JsonNode body = ok(peer, response);
            if (!body.path("groups").isArray()) {
                throw new PeerException(peer + " answered without counts by " + kind.field() + " (a version before them?)");
            }
            List<GroupCount> groups = new ArrayList<>();
            for (JsonNode group : body.path("groups")) {
                JsonNode key = group.path("key");
                if (!key.isNull() && !key.isTextual()) {
                    throw new PeerException(peer + " answered a count without a key");
                }
                groups.add(GroupCount.of(key.isNull() ? null : key.textValue(), group.path("online").asLong(), group.path("offline").asLong()));
            }
            return new GroupCounts(groups, body.path("next").isTextual(), missing(body));
        });
    }

    /** Asks and waits for the answer; a peer that cannot be asked, or does not answer in time, is a {@link PeerException}. */
    private ContentResponse send(String peer, String path, String query) {
        try {
            return request(peer, path, query).send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("the question to " + peer + " was interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new PeerException(describe(e));
        }
    }

    private CompletableFuture<ContentResponse> get(String peer, String path, String query) {
        return new CompletableResponseListener(request(peer, path, query), MAX_ANSWER_BYTES).send();
    }

    private Request request(String peer, String path, String query) {
        return http.newRequest(peer + path + "?" + query)
                .timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
                .accept("application/json");
    }

    private JsonNode ok(String peer, ContentResponse response) {
        if (response.getStatus() != 200) {
            throw new PeerException(peer + " answered " + response.getStatus() + ": " + error(response));
        }
        return read(peer, response.getContent(), JsonNode.class);
    }

    private <T> T read(String peer, byte[] body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new PeerException(peer + " answered something that is not the expected JSON: " + e.getMessage());
        }
    }

    private String error(ContentResponse response) {
        try {
            return json.readTree(response.getContent()).path("error").asText("(no reason given)");
        } catch (IOException e) {
            return "(no reason given)";
        }
    }

    private static String servedBy(ContentResponse response, String peer) {
        String servedBy = response.getHeaders().get(PeerProtocol.SERVED_BY_HEADER);
        return servedBy != null ? servedBy : peer;
    }

    private static List<String> missing(JsonNode body) {
        List<String> missing = new ArrayList<>();
        body.path("missing").forEach(item -> missing.add(item.asText()));
        return missing;
    }

    private static int retryAfter(ContentResponse response) {
        String value = response.getHeaders().get("Retry-After");
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** A short reason for a failed call, for logs and {@code missing} lists. */
    public static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PeerException) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return "did not answer in time";
        }
        if (cause instanceof ConnectException) {
            return "cannot be reached";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** Percent-encodes an id for a path segment or a query value: UTF-8, nothing left to interpretation. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Closes the connections to the peers and stops the client's threads. */
    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP client that asks other instances", e);
        }
    }
}
