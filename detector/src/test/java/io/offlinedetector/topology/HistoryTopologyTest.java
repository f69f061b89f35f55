package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.ms;
import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.domain.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each device's latest transitions: its state's, and those before it, kept by the processor in the index store. */
class HistoryTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, 3_600_000, Map.of()), Duration.ofMillis(500), Duration.ofMinutes(1));

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS);

    @Test
    void keepsEveryTransitionNewestFirstAsPublished() {
        driver.beat("sensor-1", "");
        driver.advance(Duration.ofSeconds(10));
        driver.beat("sensor-1", "");
        List<StatusChange> published = driver.events();

        assertThat(driver.history("sensor-1")).containsExactly(
                new Transition(Status.ONLINE, Status.OFFLINE, ms(START.plusSeconds(10)), Reason.HEARTBEAT_RESUMED, 3),
                new Transition(Status.OFFLINE, Status.ONLINE, ms(START.plus(TIMEOUT)), Reason.TIMEOUT, 2),
                new Transition(Status.ONLINE, Status.UNKNOWN, ms(START), Reason.FIRST_HEARTBEAT, 1));
        List<Transition> asPublished = new ArrayList<>(published.stream().map(Transition::of).toList());
        Collections.reverse(asPublished);
        assertThat(driver.history("sensor-1")).containsExactlyElementsOf(asPublished);
    }

    @Test
    void aHeartbeatThatChangesNothingAddsNothing() {
        driver.beat("sensor-1", "");
        driver.advance(Duration.ofSeconds(1));
        driver.beat("sensor-1", "");

        assertThat(driver.history("sensor-1")).extracting(Transition::sequence).containsExactly(1L);
    }

    @Test
    void keepsTheLatestHundredOnly() {
        for (int i = 0; i < 60; i++) { // 120 transitions: online, then offline, each time
            driver.beat("flappy", "");
            driver.advance(TIMEOUT.plusSeconds(1));
        }

        List<Transition> kept = driver.history("flappy");
        assertThat(kept).hasSize(TransitionHistory.KEPT);
        assertThat(kept.get(0).sequence()).isEqualTo(120);
        assertThat(kept.get(kept.size() - 1).sequence()).isEqualTo(21);
        assertThat(historyEntries()).as("trimmed in the store, not only when read; the latest is the state's")
                .isEqualTo(TransitionHistory.KEPT - 1);
        assertThat(TransitionHistory.newestFirst(driver.index(), "flappy", driver.states().get("flappy"), 5)).extracting(Transition::sequence)
                .containsExactly(120L, 119L, 118L, 117L, 116L);
    }

    @Test
    void removingADeviceDropsItsHistoryAndOnlyItsHistory() {
        driver.beat("a", "");
        driver.beat("ab", ""); // "a" is a prefix of "ab": their entries must not mix
        driver.advance(Duration.ofSeconds(10));

        driver.pipe(new TestRecord<>(utf8("a"), null, DeviceCommands.removal(), driver.now()));

        assertThat(driver.history("a")).isEmpty();
        assertThat(driver.history("ab")).extracting(Transition::sequence).containsExactly(2L, 1L);
        assertThat(historyEntries()).as("ab's first; its latest is its state's").isEqualTo(1);

        driver.beat("a", "");
        assertThat(driver.history("a")).as("starts afresh").extracting(Transition::reason).containsExactly(Reason.FIRST_HEARTBEAT);
    }

    @Test
    void aDeviceRemovedAfterItsOfflineRetentionLeavesNoHistory() {
        driver.close();
        DetectorDriver retained = new DetectorDriver();
        try {
            retained.start(new DetectionSettings(new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, 3_600_000, Map.of()), Duration.ofMillis(500),
                    Duration.ofMinutes(1), Duration.ofSeconds(30)));
            retained.beat("sensor-1", "", START);
            retained.advance(Duration.ofMinutes(1));

            assertThat(retained.states().get("sensor-1")).isNull();
            assertThat(retained.history("sensor-1")).isEmpty();
        } finally {
            retained.close();
        }
    }

    @Test
    void aDevicesFirstTransitionIsItsStatesAndWritesNothingToTheIndex() {
        driver.beat("sensor-1", "");

        assertThat(driver.history("sensor-1")).containsExactly(new Transition(Status.ONLINE, Status.UNKNOWN, ms(START), Reason.FIRST_HEARTBEAT, 1));
        assertThat(historyEntries()).isZero();
    }

    @Test
    void theLatestTransitionAVersionBeforeKeptAsAnEntryReadsOnce() {
        driver.beat("sensor-1", "");
        driver.advance(TIMEOUT.plusSeconds(1));
        Transition latest = new Transition(Status.OFFLINE, Status.ONLINE, ms(START.plus(TIMEOUT)), Reason.TIMEOUT, 2);
        driver.index().put(IndexKeys.history("sensor-1", 2), TransitionHistory.encode(latest)); // as versions before wrote it

        assertThat(driver.history("sensor-1")).extracting(Transition::sequence).containsExactly(2L, 1L);
        assertThat(driver.history("sensor-1").get(0)).isEqualTo(latest);
    }

    @Test
    void theHistoryIsRestoredWithTheIndexStoreFromItsChangelog() {
        driver.beat("sensor-1", "");
        driver.advance(TIMEOUT.plusSeconds(1));

        assertThat(driver.index().persistent()).isTrue();
        assertThat(driver.producedTopics()).anyMatch(topic -> topic.endsWith("-" + Names.INDEX_STORE + "-changelog"));
    }

    @Test
    void aTransitionTakesTwelveBytesBesidesItsKey() {
        Transition transition = new Transition(Status.OFFLINE, Status.ONLINE, ms(START), Reason.TIMEOUT, 42);
        byte[] value = TransitionHistory.encode(transition);

        assertThat(value).hasSize(12);
        assertThat(value[0]).as("version").isEqualTo(TransitionHistory.VERSION);
        assertThat(new byte[] {value[1], value[2], value[3]}).as("explicit codes")
                .containsExactly(Status.OFFLINE.code(), Status.ONLINE.code(), Reason.TIMEOUT.code());
        assertThat(TransitionHistory.decode(42, value)).isEqualTo(transition);
    }

    private int historyEntries() {
        int entries = 0;
        try (KeyValueIterator<Bytes, byte[]> it = driver.index().range(Bytes.wrap(new byte[] {'H'}), Bytes.wrap(new byte[] {'I'}))) {
            while (it.hasNext()) {
                it.next();
                entries++;
            }
        }
        return entries;
    }
}
