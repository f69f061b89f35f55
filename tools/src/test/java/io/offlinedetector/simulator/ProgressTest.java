package io.offlinedetector.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static Progress at(Duration elapsed) {
        return new Progress(elapsed, 65_000, 1_000, 98, 1_000, 0, Duration.ofMinutes(10));
    }

    @Test
    void theBarShowsTheShareDoneTheTimeLeftAndTheRate() {
        assertThat(at(Duration.ofSeconds(150)).bar())
                .isEqualTo("[######------------------]  25%  0:07:30 left  rate 1,000/s  sent 65,000  silent 98/1,000  errors 0");
    }

    @Test
    void theBarIsEmptyAtTheStartAndFullAtTheEndEvenWhenTheRunOverruns() {
        assertThat(at(Duration.ZERO).bar()).startsWith("[------------------------]   0%  0:10:00 left");
        assertThat(at(Duration.ofMinutes(11)).bar()).startsWith("[########################] 100%  0:00:00 left");
    }

    @Test
    void timeLeftIsRoundedUpSoThatNothingLeftMeansDone() {
        assertThat(at(Duration.ofMillis(599_001)).timeLeft()).isEqualTo(Duration.ofSeconds(1));
        assertThat(at(Duration.ofMinutes(10)).timeLeft()).isZero();
    }
}
