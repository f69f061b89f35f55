package io.offlinedetector.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Device ids in the order the stores keep them: by their UTF-8 bytes, unsigned. */
public final class DeviceIdOrder {

    public static final Comparator<String> UTF8 =
            (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private DeviceIdOrder() {}
}
