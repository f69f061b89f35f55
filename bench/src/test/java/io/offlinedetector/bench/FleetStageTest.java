package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetStageTest {

    @TempDir
    Path dir;

    @Test
    void sessionTimeoutComesFromTheConfigFileTheMainConsumerPrefixWinning() throws IOException {
        assertThat(FleetStage.sessionTimeout(Files.writeString(dir.resolve("plain.properties"), "session.timeout.ms=6000\n")))
                .isEqualTo("6000");
        assertThat(FleetStage.sessionTimeout(Files.writeString(dir.resolve("prefixed.properties"),
                "session.timeout.ms=6000\nmain.consumer.session.timeout.ms=7000\n"))).isEqualTo("7000");
        assertThat(FleetStage.sessionTimeout(Files.writeString(dir.resolve("none.properties"), "num.stream.threads=1\n"))).isNull();
    }

    @Test
    void withoutAConfigFileTheSessionTimeoutIsTheDetectorsDefault() {
        assertThat(FleetStage.DEFAULT_SESSION_TIMEOUT_MS).isEqualTo(6_000);
    }
}
