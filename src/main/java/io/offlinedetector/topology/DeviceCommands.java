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

    private static final byte[] REMOVE_BYTES = REMOVE.getBytes(StandardCharsets.UTF_8);

    private DeviceCommands() {}

    public static Headers removal() {
        return new RecordHeaders().add(HEADER, REMOVE_BYTES);
    }

    static boolean isRemoval(Headers headers) {
        Header command = headers.lastHeader(HEADER);
        return command != null && Arrays.equals(command.value(), REMOVE_BYTES);
    }
}
