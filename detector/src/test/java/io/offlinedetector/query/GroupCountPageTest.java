package io.offlinedetector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offlinedetector.query.GroupCountPage.Order;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sorting and paging the counts by group, and the cursors that say where a page starts. */
class GroupCountPageTest {

    // U+FFFD sorts after U+1D11E in UTF-16 (String.compareTo) but before it in UTF-8.
    private static final List<GroupCount> COUNTS = List.of(
            GroupCount.of(null, 5, 2),
            GroupCount.of("", 1, 0),
            GroupCount.of("site-1", 0, 7),
            GroupCount.of("site-2", 3, 2),
            GroupCount.of("site-3", 9, 0),
            GroupCount.of("\uFFFD", 1, 2),
            GroupCount.of("\uD834\uDD1E", 0, 7));

    @Test
    void ordersByKeyInUtf8BytesWithoutAKeyFirst() {
        assertThat(keys(GroupCountPage.of(shuffled(), Order.KEY, null, 100).groups()))
                .containsExactly(null, "", "site-1", "site-2", "site-3", "\uFFFD", "\uD834\uDD1E");
    }

    @Test
    void sortsWorstFirstWithTiesByKey() {
        assertThat(keys(GroupCountPage.of(shuffled(), Order.OFFLINE, null, 100).groups()))
                .containsExactly("site-1", "\uD834\uDD1E", null, "site-2", "\uFFFD", "", "site-3");
    }

    @Test
    void aCountsTotalIsItsOnlineAndOfflineDevices() {
        assertThat(GroupCount.of("site-2", 3, 2)).isEqualTo(new GroupCount("site-2", 5, 3, 2));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pagesThroughEveryKeyOnceInOrder(Order order) {
        List<String> expected = keys(GroupCountPage.of(COUNTS, order, null, 100).groups());
        for (int limit = 1; limit <= COUNTS.size() + 1; limit++) {
            List<String> seen = new ArrayList<>();
            String after = null;
            for (int pages = 0; pages <= COUNTS.size(); pages++) {
                GroupCountPage page = GroupCountPage.of(shuffled(), order, after == null ? null : GroupCountPage.parse(after, order), limit);
                assertThat(page.groups()).hasSizeLessThanOrEqualTo(limit);
                seen.addAll(keys(page.groups()));
                after = page.next();
                if (after == null) {
                    break;
                }
            }
            assertThat(after).as("limit %d ends", limit).isNull();
            assertThat(seen).as("limit %d", limit).isEqualTo(expected);
        }
    }

    @Test
    void theLastPageHasNoNextAndAFullLastPageNeitherWhenNothingFollows() {
        assertThat(GroupCountPage.of(COUNTS, Order.KEY, null, COUNTS.size()).next()).isNull();
        assertThat(GroupCountPage.of(COUNTS, Order.KEY, null, COUNTS.size() - 1).next()).isNotNull();
        assertThat(GroupCountPage.of(List.of(), Order.OFFLINE, null, 10)).isEqualTo(new GroupCountPage(List.of(), null));
    }

    @Test
    void aCursorNamesAPlaceEvenWhenItsKeyIsGone() {
        GroupCountPage.Cursor after = GroupCountPage.parse(GroupCountPage.cursor(Order.KEY, GroupCount.of("site-15", 1, 0)), Order.KEY);

        assertThat(keys(GroupCountPage.of(COUNTS, Order.KEY, after, 2).groups())).containsExactly("site-2", "site-3");
    }

    @Test
    void aWorstFirstCursorContinuesAfterItsCountAndKey() {
        GroupCountPage.Cursor after = GroupCountPage.parse(GroupCountPage.cursor(Order.OFFLINE, GroupCount.of(null, 0, 2)), Order.OFFLINE);

        assertThat(keys(GroupCountPage.of(COUNTS, Order.OFFLINE, after, 10).groups())).containsExactly("site-2", "\uFFFD", "", "site-3");
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void cursorsRoundTripEveryKeyAndAreUrlSafe(Order order) {
        for (String key : Arrays.asList(null, "", "site-7", "a b/c+d?e=f&g", "温度", "\uD834\uDD1E", "x".repeat(128), "\uD83D\uDE00".repeat(128))) {
            String cursor = GroupCountPage.cursor(order, GroupCount.of(key, 1, 1L << 40));
            assertThat(cursor).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(GroupCountPage.MAX_CURSOR_CHARS);
            assertThat(GroupCountPage.parse(cursor, order)).isEqualTo(new GroupCountPage.Cursor(order, order == Order.OFFLINE ? 1L << 40 : 0, key));
        }
    }

    @Test
    void aCursorOfOneSortIsRefusedByTheOther() {
        String byKey = GroupCountPage.cursor(Order.KEY, GroupCount.of("a", 1, 1));
        String worstFirst = GroupCountPage.cursor(Order.OFFLINE, GroupCount.of("a", 1, 1));

        assertThatThrownBy(() -> GroupCountPage.parse(byKey, Order.OFFLINE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sort");
        assertThatThrownBy(() -> GroupCountPage.parse(worstFirst, Order.KEY)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"site-7", "!!", "a=", "aw", "aw==", "awI", "bwAAAAAAAAAB", "bwAAAAAAAAABAg", "awH_", "awBh"})
    void anythingButACursorIsRefused(String after) {
        for (Order order : Order.values()) {
            assertThatThrownBy(() -> GroupCountPage.parse(after, order)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("after is not a cursor");
        }
    }

    @Test
    void anOverLongCursorIsRefusedBeforeItIsDecoded() {
        String key = "x".repeat(2000);
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("k\u0001" + key).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> GroupCountPage.parse(cursor, Order.KEY)).hasMessageContaining("longer than");
    }

    private static List<GroupCount> shuffled() {
        List<GroupCount> counts = new ArrayList<>(COUNTS);
        Collections.shuffle(counts, new Random(11));
        return counts;
    }

    private static List<String> keys(List<GroupCount> counts) {
        return counts.stream().map(GroupCount::key).toList();
    }
}
