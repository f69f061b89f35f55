package io.offlinedetector.domain;

/** A device's status; {@code UNKNOWN} only ever appears as the status before a first heartbeat. */
public enum Status {
    UNKNOWN((byte) 0),
    ONLINE((byte) 1),
    OFFLINE((byte) 2);

    private final byte code;

    Status(byte code) {
        this.code = code;
    }

    /**
     * The byte that stands for this status in the stores and their changelogs. Explicit, never the
     * ordinal: reordering or adding constants must not change what bytes already written mean.
     */
    public byte code() {
        return code;
    }

    /** @throws IllegalArgumentException for a byte that no status stands for */
    public static Status ofCode(byte code) {
        return switch (code) {
            case 0 -> UNKNOWN;
            case 1 -> ONLINE;
            case 2 -> OFFLINE;
            default -> throw new IllegalArgumentException("no status has the code " + code);
        };
    }
}
