package io.offlinedetector.domain;

/** A device's status; {@code UNKNOWN} only ever appears as the status before a first heartbeat. */
public enum Status {
    UNKNOWN,
    ONLINE,
    OFFLINE
}
