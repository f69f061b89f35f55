package io.offlinedetector.topology;

import java.util.Random;

/**
 * Random, always well-formed JSON texts of every shape: nesting, every type, long and odd strings,
 * numbers far outside any Java type, duplicate and empty names. Telemetry of this kind must be
 * ignored by the heartbeat parser, so the generator never produces anything Jackson would refuse:
 * nesting and number lengths stay well inside Jackson's default stream constraints. The
 * pathological extremes are {@link HostileHeartbeats}' job.
 */
final class RandomJson {

    /** Deep enough to exercise skipping, far below Jackson's default limit of 1000. */
    private static final int MAX_DEPTH = 12;

    private final Random random;

    RandomJson(Random random) {
        this.random = random;
    }

    /** Any JSON value. */
    String value() {
        StringBuilder out = new StringBuilder();
        value(out, 0);
        return out.toString();
    }

    /** A JSON object of random telemetry fields, without the braces' surroundings: {@code {...}}. */
    String object() {
        StringBuilder out = new StringBuilder();
        object(out, 0);
        return out.toString();
    }

    /** A JSON string literal, quotes included, of random content and length. */
    String string() {
        return quote(text(length()));
    }

    /** A JSON number literal: small, negative, fractional, exponents, or hundreds of digits. */
    String number() {
        return switch (random.nextInt(10)) {
            case 0 -> "0";
            case 1 -> "-0";
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Integer.toString(random.nextInt(1000));
            case 4 -> digits(1 + random.nextInt(400)); // far beyond long and double
            case 5 -> "-" + digits(1 + random.nextInt(400));
            case 6 -> random.nextInt(100) + "." + digits(1 + random.nextInt(30));
            case 7 -> digits(1 + random.nextInt(5)) + (random.nextBoolean() ? "e" : "E") + (random.nextBoolean() ? "-" : "+")
                    + digits(1 + random.nextInt(6)); // 1e999999: beyond double's range
            case 8 -> Double.toString(random.nextGaussian() * 1e300).replace("Infinity", "1e400");
            default -> "1.7976931348623157E309";
        };
    }

    /** Text of {@code length} chars: ASCII, accents, CJK, emoji (surrogate pairs), controls, quotes. */
    String text(int length) {
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            switch (random.nextInt(8)) {
                case 0 -> out.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> out.append("\"\\/");
                case 2 -> out.append((char) random.nextInt(0x20)); // control characters, escaped by quote()
                case 3 -> out.append((char) (0xa0 + random.nextInt(0x2000)));
                case 4 -> out.append((char) (0x4e00 + random.nextInt(0x5000)));
                case 5 -> out.appendCodePoint(0x1f300 + random.nextInt(0x300));
                case 6 -> out.append('\u2028').append('\ufeff').append('\u0085');
                default -> out.append("sensor-").append(random.nextInt(100));
            }
        }
        return out.toString();
    }

    /**
     * A JSON string literal for {@code text}: every character that must be escaped is, and others
     * sometimes are (as {@code \}{@code uXXXX}), so that the parser has to decode escapes to compare.
     */
    String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                // Both halves of a pair escaped, or neither: Jackson refuses half-escaped pairs in names.
                char low = text.charAt(++i);
                if (random.nextInt(20) == 0) {
                    escape(out, c);
                    escape(out, low);
                } else {
                    out.append(c).append(low);
                }
            } else if (c < 0x20 || random.nextInt(20) == 0) {
                escape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void escape(StringBuilder out, char c) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.forDigit(c >> shift & 0xf, 16));
        }
    }

    /** Mostly short, sometimes thousands of chars (the megabyte ones are {@link HostileValues}' job). */
    private int length() {
        int roll = random.nextInt(1000);
        if (roll < 800) {
            return random.nextInt(12);
        }
        if (roll < 998) {
            return random.nextInt(300);
        }
        return 2_000 + random.nextInt(20_000);
    }

    private void value(StringBuilder out, int depth) {
        int kind = random.nextInt(depth >= MAX_DEPTH ? 5 : 7);
        switch (kind) {
            case 0 -> out.append(string());
            case 1 -> out.append(number());
            case 2 -> out.append(random.nextBoolean());
            case 3 -> out.append("null");
            case 4 -> out.append(loneSurrogateString());
            case 5 -> object(out, depth + 1);
            default -> array(out, depth + 1);
        }
    }

    private void object(StringBuilder out, int depth) {
        out.append('{');
        int fields = random.nextInt(depth == 0 ? 8 : 4);
        String previous = null;
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                out.append(',');
            }
            whitespace(out);
            // Repeat the previous name now and then: duplicate names are legal JSON.
            String name = previous != null && random.nextInt(6) == 0 ? previous : fieldName();
            out.append(name);
            whitespace(out);
            out.append(':');
            whitespace(out);
            value(out, depth);
            previous = name;
        }
        out.append('}');
    }

    private void array(StringBuilder out, int depth) {
        out.append('[');
        int items = random.nextInt(5);
        for (int i = 0; i < items; i++) {
            if (i > 0) {
                out.append(',');
            }
            value(out, depth);
        }
        out.append(']');
    }

    private String fieldName() {
        return switch (random.nextInt(6)) {
            case 0 -> "\"\"";
            case 1 -> quote("battery");
            case 2 -> quote(text(200 + random.nextInt(2000)));
            case 3 -> quote("deviceTypeX"); // near-misses of the recognised names
            default -> quote(text(random.nextInt(40))); // names stay far below Jackson's 50,000-char limit
        };
    }

    /** An escaped lone surrogate: legal JSON, but no valid UTF-16 string. */
    private String loneSurrogateString() {
        return "\"x\\ud" + "89abcdef".charAt(random.nextInt(8)) + "00y\"";
    }

    private void whitespace(StringBuilder out) {
        if (random.nextInt(4) == 0) {
            out.append(" \t\r\n".charAt(random.nextInt(4)));
        }
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count);
        out.append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < count; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }
}
