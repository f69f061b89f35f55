package io.offlinedetector.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reason codes are written to the stores and their changelogs: they must never change. */
class ReasonTest {

    private static final Map<Reason, Byte> WRITTEN =
            Map.of(Reason.FIRST_HEARTBEAT, (byte) 1, Reason.HEARTBEAT_RESUMED, (byte) 2, Reason.TIMEOUT, (byte) 3);

    @Test
    void everyReasonKeepsTheCodeItWasWrittenWith() {
        assertThat(Reason.values()).hasSize(WRITTEN.size());
        WRITTEN.forEach((reason, code) -> {
            assertThat(reason.code()).as("code of %s", reason).isEqualTo(code);
            assertThat(Reason.ofCode(code)).isEqualTo(reason);
        });
    }

    @Test
    void aByteNoReasonStandsForIsRefused() {
        assertThatThrownBy(() -> Reason.ofCode((byte) 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> Reason.ofCode((byte) 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
