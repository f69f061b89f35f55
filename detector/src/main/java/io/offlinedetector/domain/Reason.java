package io.offlinedetector.domain;

/** Why a transition happened. Consumers must ignore values they do not know; more may be added. */
public enum Reason {
    FIRST_HEARTBEAT((byte) 1),
    HEARTBEAT_RESUMED((byte) 2),
    TIMEOUT((byte) 3);

    private final byte code;

    Reason(byte code) {
        this.code = code;
    }

    /**
     * The byte that stands for this reason in the stores and their changelogs (a device's kept
     * transitions). Explicit, never the ordinal: reordering or adding constants must not change what
     * bytes already written mean.
     */
    public byte code() {
        return code;
    }

    /** @throws IllegalArgumentException for a byte that no reason stands for */
    public static Reason ofCode(byte code) {
        return switch (code) {
            case 1 -> FIRST_HEARTBEAT;
            case 2 -> HEARTBEAT_RESUMED;
            case 3 -> TIMEOUT;
            default -> throw new IllegalArgumentException("no reason has the code " + code);
        };
    }
}
