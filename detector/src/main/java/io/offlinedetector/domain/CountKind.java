package io.offlinedetector.domain;

/** What devices are counted by: their group or their device type ({@code GET /stats?by=}). */
public enum CountKind {
    GROUP("group", (byte) 'g'),
    DEVICE_TYPE("deviceType", (byte) 't');

    private final String field;
    private final byte code;

    CountKind(String field, byte code) {
        this.field = field;
        this.code = code;
    }

    /** The state's field, and the name in the API: {@code group} or {@code deviceType}. */
    public String field() {
        return field;
    }

    /** The byte that stands for this kind in the state store's keys; explicit, never the ordinal. */
    public byte code() {
        return code;
    }

    /** The key the device counts under, or {@code null} when it never named one. */
    public String keyOf(DeviceState state) {
        return this == GROUP ? state.group() : state.deviceType();
    }

    /** The kind the API names {@code field}, or {@code null} when none is. */
    public static CountKind ofField(String field) {
        for (CountKind kind : values()) {
            if (kind.field.equals(field)) {
                return kind;
            }
        }
        return null;
    }
}
