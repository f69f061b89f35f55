package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What instances say to each other over the public HTTP API. A request carrying
 * {@link #LOCAL_ONLY_PARAM}{@code =true} is answered from the receiving instance's own stores and
 * never forwarded again, so a question crosses at most one hop and instances never ask in circles.
 */
public final class PeerProtocol {

    /** Query parameter: answer from this instance's stores only. */
    public static final String LOCAL_ONLY_PARAM = "local";
    /** Query parameter: a standby's (possibly slightly old) copy is an acceptable answer. */
    public static final String ALLOW_STALE_PARAM = "allowStale";
    /** Query parameter of a device lookup: the partition the asker believes the receiver processes. */
    public static final String PARTITION_PARAM = "partition";
    /** Response header naming the instance that read the device's state. */
    public static final String SERVED_BY_HEADER = "X-Served-By";
    /**
     * Query parameter of {@code GET /stats?by=}, repeated: a key whose counts are asked, spelled as a
     * cursor of key order, so that the devices without a key can be asked for too.
     */
    public static final String KEY_PARAM = "key";
    /** The longest query of a question to a peer: well within the 4096 characters every instance takes. */
    public static final int MAX_QUERY_CHARS = 3_584;

    /**
     * How a 404's error begins when the path has no route (rather than naming an unknown device): a
     * peer of a version before a route answers so.
     */
    public static final String NO_SUCH_ENDPOINT = "no such endpoint";

    private PeerProtocol() {}

    /**
     * The query of {@code GET /stats} that asks a peer for {@code which} of its own counts by key;
     * for {@link KeySelection.Keys}, its first part, to which {@link #keyParam}s are added.
     */
    static String countsQuery(CountKind kind, KeySelection which) {
        String query = LOCAL_ONLY_PARAM + "=true&by=" + kind.field();
        if (which instanceof KeySelection.OfflineDevices) {
            return query + "&status=" + Status.OFFLINE.name();
        }
        if (which instanceof KeySelection.After range) {
            return query + "&limit=" + range.limit() + (range.after() == null ? "" : "&after=" + range.after().text());
        }
        return query;
    }

    /** One key of a {@link KeySelection.Keys} question. */
    static String keyParam(String key) {
        return "&" + KEY_PARAM + "=" + new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, key).text();
    }

    /**
     * The selection a peer's question asks for: its keys, or the keys with OFFLINE devices
     * ({@code status=OFFLINE}), or a key range ({@code limit} and {@code after}), or every key.
     *
     * @param params a query parameter's values by name, empty when absent
     * @throws IllegalArgumentException when a parameter does not say which, with a reason to show
     */
    public static KeySelection countsSelection(Function<String, List<String>> params) {
        List<String> keys = params.apply(KEY_PARAM);
        if (!keys.isEmpty()) {
            Set<String> parsed = new LinkedHashSet<>();
            for (String key : keys) {
                parsed.add(GroupCountPage.parse(key, GroupCountPage.Order.KEY).key());
            }
            return new KeySelection.Keys(parsed);
        }
        String status = first(params.apply("status"));
        if (status != null) {
            if (!status.equals(Status.OFFLINE.name())) {
                throw new IllegalArgumentException("status must be OFFLINE: counts of the OFFLINE devices by key");
            }
            return KeySelection.OFFLINE_DEVICES;
        }
        String limit = first(params.apply("limit"));
        if (limit == null) {
            return KeySelection.EVERY;
        }
        int max;
        try {
            max = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            max = 0;
        }
        if (max < 1) {
            throw new IllegalArgumentException("limit must be a whole number from 1");
        }
        String after = first(params.apply("after"));
        return new KeySelection.After(after == null ? null : GroupCountPage.parse(after, GroupCountPage.Order.KEY), max);
    }

    private static String first(List<String> values) {
        return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
