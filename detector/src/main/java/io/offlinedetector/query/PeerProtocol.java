package io.offlinedetector.query;

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
     * How a 404's error begins when the path has no route (rather than naming an unknown device): a
     * peer of a version before a route answers so.
     */
    public static final String NO_SUCH_ENDPOINT = "no such endpoint";

    private PeerProtocol() {}
}
