package io.offlinedetector.domain;

/** Why a transition happened. Consumers must ignore values they do not know; more may be added. */
public enum Reason {
    FIRST_HEARTBEAT,
    HEARTBEAT_RESUMED,
    TIMEOUT
}
