package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.Transition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Each device's latest {@link #KEPT} transitions. The latest is its state's ({@link
 * Transition#latestOf}); those before are in the index store ({@link IndexKeys#history}), one entry
 * per transition, keyed by device and sequence. A transition writes the one before it, which its
 * state no longer tells (and deletes one once there are more than {@link #KEPT}), never a rewrite of
 * the whole list; a device's first transition, most of a fleet's, writes nothing. The entries are
 * restored with the store from its changelog, and go with the device. Versions before kept the
 * latest as an entry too: it reads as the state's.
 *
 * <p>Value layout, 12 bytes: version (1), status code, previous status code, reason code (1 each,
 * {@link Status#code()}, {@link Reason#code()}), changedAt (8, big-endian). The sequence is the
 * key's.
 */
public final class TransitionHistory {

    /** Transitions kept per device. */
    public static final int KEPT = 100;
    static final byte VERSION = 1;
    private static final int VALUE_BYTES = 4 + Long.BYTES;

    private final KeyValueStore<Bytes, byte[]> store;

    TransitionHistory(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /**
     * Keeps a device's transition once a newer one makes its state tell another, and drops the
     * transition the newer one pushes out of the last {@link #KEPT}.
     */
    void append(String deviceId, Transition transition) {
        store.put(IndexKeys.history(deviceId, transition.sequence()), encode(transition));
        long pushedOut = transition.sequence() + 1 - KEPT;
        if (pushedOut >= 1) {
            Bytes key = IndexKeys.history(deviceId, pushedOut);
            // Absent for a device kept by a version without history: no tombstone for a key never written.
            if (store.get(key) != null) {
                store.delete(key);
            }
        }
    }

    /** Drops every kept transition of the device; the iterator is closed before the deletes. */
    void forget(String deviceId) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.historyStart(deviceId), IndexKeys.historyEnd(deviceId))) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(store::delete);
    }

    /** The device's latest transitions, newest first, at most {@code max}: its state's, then those kept before it. */
    public static List<Transition> newestFirst(ReadOnlyKeyValueStore<Bytes, byte[]> store, String deviceId, DeviceState state, int max) {
        List<Transition> transitions = new ArrayList<>();
        transitions.add(Transition.latestOf(state));
        for (Transition kept : newestFirst(store, deviceId, max)) {
            if (transitions.size() == max) {
                break;
            }
            if (kept.sequence() < state.sequence()) {
                transitions.add(kept);
            }
        }
        return transitions;
    }

    /** The device's transitions kept before its latest (and, from versions before, maybe the latest), newest first, at most {@code max}. */
    public static List<Transition> newestFirst(ReadOnlyKeyValueStore<Bytes, byte[]> store, String deviceId, int max) {
        List<Transition> transitions = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(IndexKeys.historyStart(deviceId), IndexKeys.historyEnd(deviceId))) {
            while (it.hasNext() && transitions.size() < max) {
                var entry = it.next();
                transitions.add(decode(IndexKeys.historySequence(entry.key), entry.value));
            }
        }
        return transitions;
    }

    static byte[] encode(Transition transition) {
        return ByteBuffer.allocate(VALUE_BYTES)
                .put(VERSION)
                .put(transition.status().code())
                .put(transition.previousStatus().code())
                .put(transition.reason().code())
                .putLong(transition.changedAt())
                .array();
    }

    static Transition decode(long sequence, byte[] value) {
        if (value.length < VALUE_BYTES || value[0] != VERSION) {
            throw new SerializationException("unknown kept transition: version " + (value.length == 0 ? "none" : value[0])
                    + ", " + value.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        try {
            return new Transition(Status.ofCode(buffer.get(1)), Status.ofCode(buffer.get(2)), buffer.getLong(4), Reason.ofCode(buffer.get(3)),
                    sequence);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("kept transition with " + e.getMessage());
        }
    }
}
