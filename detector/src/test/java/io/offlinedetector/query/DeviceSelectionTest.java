package io.offlinedetector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import io.offlinedetector.query.DeviceSelection.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** Which list a partition reads for a filter, and which of the devices read it keeps. */
class DeviceSelectionTest {

    private static final ToLongFunction<CountKind> NO_KEY_COUNTS = kind -> {
        throw new AssertionError("asked how many devices have a " + kind.field() + " the filter does not name");
    };
    private static final LongSupplier NO_OFFLINE_COUNT = () -> {
        throw new AssertionError("asked how many devices are offline without status=OFFLINE");
    };

    @Test
    void withoutAGroupOrTypeTheStatusListOrEveryStateIsReadAsBefore() {
        assertThat(DeviceSelection.source(DeviceFilter.NONE, NO_KEY_COUNTS, NO_OFFLINE_COUNT)).isEqualTo(Source.ALL);
        assertThat(DeviceSelection.source(DeviceFilter.status(Status.ONLINE), NO_KEY_COUNTS, NO_OFFLINE_COUNT)).isEqualTo(Source.ALL);
        assertThat(DeviceSelection.source(DeviceFilter.status(Status.OFFLINE), NO_KEY_COUNTS, () -> 5)).isEqualTo(Source.OFFLINE);
    }

    @Test
    void aGroupOrTypeAloneIsReadFromItsListHoweverLarge() {
        assertThat(DeviceSelection.source(new DeviceFilter(null, null, "site-7"), counts(Map.of(CountKind.GROUP, 1_000_000L)), NO_OFFLINE_COUNT))
                .isEqualTo(Source.GROUP);
        assertThat(DeviceSelection.source(new DeviceFilter(Status.ONLINE, "pump", null), counts(Map.of(CountKind.DEVICE_TYPE, 7L)), NO_OFFLINE_COUNT))
                .isEqualTo(Source.DEVICE_TYPE);
    }

    @Test
    void withBothTheSmallerKeysListIsReadTiesGoingToTheGroup() {
        DeviceFilter both = new DeviceFilter(null, "pump", "site-7");
        assertThat(DeviceSelection.source(both, counts(Map.of(CountKind.GROUP, 50L, CountKind.DEVICE_TYPE, 3L)), NO_OFFLINE_COUNT))
                .isEqualTo(Source.DEVICE_TYPE);
        assertThat(DeviceSelection.source(both, counts(Map.of(CountKind.GROUP, 3L, CountKind.DEVICE_TYPE, 50L)), NO_OFFLINE_COUNT))
                .isEqualTo(Source.GROUP);
        assertThat(DeviceSelection.source(both, counts(Map.of(CountKind.GROUP, 3L, CountKind.DEVICE_TYPE, 3L)), NO_OFFLINE_COUNT))
                .isEqualTo(Source.GROUP);
        assertThat(DeviceSelection.source(both, counts(Map.of(CountKind.GROUP, 0L, CountKind.DEVICE_TYPE, 3L)), NO_OFFLINE_COUNT))
                .as("a key no device has here: an empty list").isEqualTo(Source.GROUP);
    }

    @Test
    void withStatusOfflineTheOfflineListIsReadWhenItIsTheSmallest() {
        DeviceFilter offlineInGroup = new DeviceFilter(Status.OFFLINE, null, "site-7");
        assertThat(DeviceSelection.source(offlineInGroup, counts(Map.of(CountKind.GROUP, 500_000L)), () -> 12)).isEqualTo(Source.OFFLINE);
        assertThat(DeviceSelection.source(offlineInGroup, counts(Map.of(CountKind.GROUP, 40L)), () -> 12_000)).isEqualTo(Source.GROUP);
        assertThat(DeviceSelection.source(offlineInGroup, counts(Map.of(CountKind.GROUP, 12L)), () -> 12)).isEqualTo(Source.GROUP);
    }

    @Test
    void keepsTheFirstMatchesInTheListsOrderCheckingTheRestOfTheFilterAgainstTheStates() {
        Map<String, DeviceState> states = Map.of(
                "a", state(Status.OFFLINE, "pump", "site-7"),
                "b", state(Status.ONLINE, "pump", "site-7"),
                "c", state(Status.OFFLINE, "valve", "site-7"),
                "e", state(Status.OFFLINE, "pump", "site-7"),
                "f", state(Status.OFFLINE, "pump", "site-7"));
        List<String> read = new ArrayList<>();
        DeviceFilter filter = new DeviceFilter(Status.OFFLINE, "pump", "site-7");

        List<String> ids = DeviceSelection.matching(List.of("a", "b", "c", "d", "e", "f").iterator(), id -> {
            read.add(id);
            return states.get(id);
        }, filter, 2);

        assertThat(ids).as("d is listed but gone").containsExactly("a", "e");
        assertThat(read).as("reads stop at the last match wanted").containsExactly("a", "b", "c", "d", "e");
    }

    private static ToLongFunction<CountKind> counts(Map<CountKind, Long> counts) {
        return kind -> {
            Long count = counts.get(kind);
            if (count == null) {
                throw new AssertionError("asked how many devices have a " + kind.field() + " the filter does not name");
            }
            return count;
        };
    }

    private static DeviceState state(Status status, String deviceType, String group) {
        return new DeviceState(status, 0, 0, 60_000, deviceType, group, 1, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
    }
}
