package io.offlinedetector.config;

/**
 * A size in bytes as an option's type, so that picocli converts it with the one converter for sizes:
 * written as {@link ByteSizes} reads it, such as {@code 384m} or {@code 1GiB}.
 */
public record ByteSize(long bytes) {

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    /** @throws IllegalArgumentException when the text is not a size of zero or more bytes */
    public static ByteSize parse(String text) {
        return new ByteSize(ByteSizes.parse(text));
    }

    @Override
    public String toString() {
        return ByteSizes.format(bytes);
    }
}
