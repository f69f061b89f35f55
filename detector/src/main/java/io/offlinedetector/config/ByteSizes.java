package io.offlinedetector.config;

import java.util.Locale;

/** Byte sizes as people write them: {@code 256MiB}, {@code 1GiB}, {@code 512k}, or plain bytes. */
public final class ByteSizes {

    private static final long KIB = 1024L;

    private ByteSizes() {}

    /** @throws IllegalArgumentException when the text is not a size of zero or more bytes */
    public static long parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 18) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 256MiB, 1GiB or 1048576");
        }
        long number = Long.parseLong(value.substring(0, split));
        long unit = switch (value.substring(split).trim()) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> KIB;
            case "m", "mb", "mib" -> KIB * KIB;
            case "g", "gb", "gib" -> KIB * KIB * KIB;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit; use B, KiB, MiB or GiB");
        };
        if (number > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return number * unit;
    }

    /** The largest whole unit that divides the size exactly, such as {@code 256MiB}. */
    public static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {KIB * KIB * KIB, KIB * KIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes + "B";
    }
}
