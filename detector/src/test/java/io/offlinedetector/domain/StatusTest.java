package io.offlinedetector.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status codes are written to the stores and their changelogs: they must never change. */
class StatusTest {

    private static final Map<Status, Byte> WRITTEN = Map.of(Status.UNKNOWN, (byte) 0, Status.ONLINE, (byte) 1, Status.OFFLINE, (byte) 2);

    @Test
    void everyStatusKeepsTheCodeItWasWrittenWith() {
        assertThat(Status.values()).hasSize(WRITTEN.size());
        WRITTEN.forEach((status, code) -> {
            assertThat(status.code()).as("code of %s", status).isEqualTo(code);
            assertThat(Status.ofCode(code)).isEqualTo(status);
        });
    }

    @Test
    void aByteNoStatusStandsForIsRefused() {
        assertThatThrownBy(() -> Status.ofCode((byte) 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
        assertThatThrownBy(() -> Status.ofCode((byte) -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
