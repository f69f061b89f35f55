package io.offlinedetector.topology;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
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
 * Each device's latest {@link #KEPT} transitions, in the index store ({@link IndexKeys#history}):
 * one entry per transition, keyed by device and sequence, so that a transition costs one small
 * write (and one delete once there are more than {@link #KEPT}), never a rewrite of the whole list.
 * The entries are restored with the store from its changelog, and go with the device.
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

    /** Keeps the change, and drops the transition it pushes out of the last {@link #KEPT}. */
    void append(StatusChange change) {
        store.put(IndexKeys.history(change.deviceId(), change.sequence()), encode(Transition.of(change)));
        long pushedOut = change.sequence() - KEPT;
        if (pushedOut >= 1) {
            Bytes key = IndexKeys.history(change.deviceId(), pushedOut);
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

    /** The device's kept transitions, newest first, at most {@code max}; empty for a device without any. */
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
