package io.offlinedetector.topology;

import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Iterators over consecutive key ranges, read one after the other as one; closing it closes them all. */
final class ConcatenatedIterator implements KeyValueIterator<Bytes, byte[]> {

    private final List<KeyValueIterator<Bytes, byte[]>> parts;
    private int current;

    /** @param parts each range before the next one's */
    ConcatenatedIterator(List<KeyValueIterator<Bytes, byte[]>> parts) {
        this.parts = parts;
    }

    @Override
    public boolean hasNext() {
        while (current < parts.size()) {
            if (parts.get(current).hasNext()) {
                return true;
            }
            current++;
        }
        return false;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return parts.get(current).next();
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return parts.get(current).peekNextKey();
    }

    @Override
    public void close() {
        parts.forEach(KeyValueIterator::close);
    }
}
