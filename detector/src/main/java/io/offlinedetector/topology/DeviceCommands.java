package io.offlinedetector.topology;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Commands travel through the {@code heartbeats} topic, so that they are ordered with the device's
 * heartbeats and applied by whichever instance owns the device: a record keyed by the device id
 * with header {@code od.command: remove} removes the device. Other consumers of the topic can
 * recognise them by that header.
 */
public final class DeviceCommands {

    public static final String HEADER = "od.command";
    public static final String REMOVE = "remove";
    /** A device's state handed to its owner on the re-routing topic; see {@link ForeignStates}. */
    public static final String ADOPT = "adopt";

    private static final byte[] REMOVE_BYTES = REMOVE.getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADOPT_BYTES = ADOPT.getBytes(StandardCharsets.UTF_8);

    private DeviceCommands() {}

    public static Headers removal() {
        return new RecordHeaders().add(HEADER, REMOVE_BYTES);
    }

    static Headers adoption() {
        return new RecordHeaders().add(HEADER, ADOPT_BYTES);
    }

    static boolean isRemoval(Headers headers) {
        return is(headers, REMOVE_BYTES);
    }

    static boolean isAdoption(Headers headers) {
        return is(headers, ADOPT_BYTES);
    }

    private static boolean is(Headers headers, byte[] command) {
        Header header = headers.lastHeader(HEADER);
        return header != null && Arrays.equals(header.value(), command);
    }
}
