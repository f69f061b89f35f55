package io.offlinedetector;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPropertiesTest {

    private static final URI SELF = URI.create("http://127.0.0.1:8080");

    @TempDir
    Path dir;

    @Test
    void aCrashIsNoticedWithinTheSessionTimeoutOfSixSeconds() throws IOException {
        Properties props = KafkaProperties.streams(config(""), SELF);

        assertThat(props).containsEntry("session.timeout.ms", 6_000).containsEntry("heartbeat.interval.ms", 1_500);
    }

    @Test
    void kafkaStreamsGetsTheConfiguredNumberOfStreamThreads() throws IOException {
        assertThat(KafkaProperties.streams(config("num.stream.threads=3\n"), SELF)).containsEntry("num.stream.threads", 3);
    }

    @Test
    void theConfigFilesSessionTimeoutWins() throws IOException {
        Properties props = KafkaProperties.streams(config("session.timeout.ms=10000\nheartbeat.interval.ms=3000\n"), SELF);

        assertThat(props).containsEntry("session.timeout.ms", "10000").containsEntry("heartbeat.interval.ms", "3000");
    }

    @Test
    void changelogsAndEventsGoInLargeCompressedBatchesUnlessTheConfigFileSaysOtherwise() throws IOException {
        assertThat(KafkaProperties.streams(config(""), SELF))
                .containsEntry("producer.batch.size", 131_072).containsEntry("producer.compression.type", "lz4");
        assertThat(KafkaProperties.streams(config("producer.compression.type=zstd\n"), SELF)).containsEntry("producer.compression.type", "zstd");
    }

    @Test
    void theStreamsProtocolLeavesTheSessionToTheBroker() throws IOException {
        Properties props = KafkaProperties.streams(config("group.protocol=streams\n"), SELF);

        assertThat(props).doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms");
    }

    private DetectorConfig config(String file) throws IOException {
        Path path = Files.writeString(dir.resolve("detector.properties"), file);
        return ConfigLoader.load(Map.of(), Map.of(), Map.of(), path);
    }
}
