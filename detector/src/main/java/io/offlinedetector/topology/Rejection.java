package io.offlinedetector.topology;

/**
 * Why a heartbeat record was refused. The code goes into the dead-letter record's headers; the
 * message explains it to a person.
 */
public record Rejection(Code code, String message) {

    public enum Code {
        MISSING_KEY,
        INVALID_KEY,
        INVALID_JSON,
        NOT_AN_OBJECT,
        INVALID_FIELD,
        DEVICE_ID_MISMATCH
    }
}
