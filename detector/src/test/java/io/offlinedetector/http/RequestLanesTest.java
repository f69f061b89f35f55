package io.offlinedetector.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLanesTest {

    @Test
    void onlyThePeersLocalOnlyMarkerTakesTheServersOwnLane() {
        assertThat(RequestLanes.isLocalOnly("local=true")).isTrue();
        assertThat(RequestLanes.isLocalOnly("limit=10&local=true&allowStale=true")).isTrue();
        assertThat(RequestLanes.isLocalOnly(null)).isFalse();
        assertThat(RequestLanes.isLocalOnly("local=false")).isFalse();
        assertThat(RequestLanes.isLocalOnly("xlocal=true")).isFalse();
        assertThat(RequestLanes.isLocalOnly("local=trueish")).isFalse();
    }
}
