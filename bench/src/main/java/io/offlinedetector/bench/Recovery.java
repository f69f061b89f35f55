package io.offlinedetector.bench;

import io.offlinedetector.KafkaProperties;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.topology.IndexKeys;
import io.offlinedetector.local.LocalBroker;
import io.offlinedetector.topics.TopicDefinition;
import io.offlinedetector.topology.DetectorTopology;
import io.offlinedetector.topology.InputProgress;
import io.offlinedetector.topology.Rerouting;
import io.offlinedetector.topology.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A fresh instance of the detector, its local state gone, rebuilding the stores from the changelog:
 * the time from start until it is RUNNING and answers a query for a known device.
 */
final class Recovery {

    record Result(double seconds, long restoredRecords) {}

    private static final long POLL_MILLIS = 20;

    private Recovery() {}

    static Result run(DetectorConfig config, Path appState, String knownDevice, Duration limit) throws InterruptedException {
        Phase phase = new Phase("recovery", limit);
        delete(appState);
        AtomicLong restored = new AtomicLong();
        KafkaStreams streams = new KafkaStreams(DetectorTopology.build(config.detection(), InputProgress.ASSUME_CAUGHT_UP,
                        Rerouting.of(config.applicationId(), TopicDefinition.heartbeats().partitions())),
                KafkaProperties.streams(config, URI.create("http://127.0.0.1:" + LocalBroker.freePort())));
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long start, long end) {}

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long records) {
                restored.addAndGet(records);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long total) {}
        });
        long start = System.nanoTime();
        streams.start();
        try {
            while (true) {
                phase.check();
                if (streams.state() == KafkaStreams.State.RUNNING && answers(streams, knownDevice)) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    phase.done("RUNNING and answering after %.2fs, %,d records restored", seconds, restored.get());
                    return new Result(seconds, restored.get());
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the recovering instance failed");
                }
                phase.progress("state %s, %,d records restored", streams.state(), restored.get());
                Thread.sleep(POLL_MILLIS); // polling the instance's state at a fixed pace; this is the measurement's resolution
            }
        } finally {
            streams.close(BenchCommand.leaving());
        }
    }

    private static boolean answers(KafkaStreams streams, String deviceId) {
        try {
            ReadOnlyKeyValueStore<Bytes, byte[]> store = streams.store(
                    StoreQueryParameters.fromNameAndType(Names.STATE_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
            return store.get(IndexKeys.state(deviceId)) != null;
        } catch (InvalidStateStoreException e) {
            return false; // still restoring or migrating
        }
    }

    private static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + path, e);
        }
    }
}
