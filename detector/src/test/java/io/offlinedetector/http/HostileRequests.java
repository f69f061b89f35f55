package io.offlinedetector.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Random request methods, targets and whole request heads: the API's own paths and parameters
 * mixed with reserved and unsafe characters, good and broken percent-escapes, raw non-ASCII bytes,
 * dot segments, absolute and asterisk forms, and targets from empty to tens of kilobytes.
 * Targets that are no path at all ({@code x:y}) are left out: the JDK server drops those without an
 * answer, which {@code RequestLimitsTest} documents.
 */
final class HostileRequests {

    private static final String[] METHODS = {"GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "Get"};
    private static final String[] PREFIXES = {"/devices/", "/devices", "/stats", "/instances", "/health", "/ready", "/", "", "//", "/devices//"};
    private static final String[] PIECES = {
            "a", "sensor-42", "%41", "%2F", "%2f", "%25", "%00", "%01", "%7F", "%C3%A9", "%E2%82%AC", "%F0%9F%98%80", "%ff", "%C3",
            "%C0%AF", "%ED%A0%80", "%", "%z", "%zz", "%4", "%%", "+", ".", "..", "/", "//", "/./", "/../", ";", ",", "=", "&",
            "!", "$", "'", "(", ")", "*", ":", "@", "~", "_", "-", "[", "]", "{", "}", "|", "^", "`", "<", ">", "\"", "\\", "é",
            "温度", "😀", "?", "#", " "};
    private static final String[] PARAMETERS = {"status", "limit", "after", "STATUS", "", "x", "status[]", "%73tatus"};
    private static final String[] VALUES = {"ONLINE", "offline", "OFFLINE", "", "0", "1", "1000", "1001", "-1", "abc", "9".repeat(30),
            "1e3", "sensor-42", "%ff", "%zz", "%00", "%01", "+", "a+b", "%2B", "=", "温度", "x".repeat(300)};

    private final Random random;

    HostileRequests(Random random) {
        this.random = random;
    }

    /** A method token: the API's, other verbs, lowercase, random letters, or a very long one. */
    String method() {
        return switch (random.nextInt(10)) {
            case 0 -> letters(1 + random.nextInt(12));
            case 1 -> random.nextInt(4) == 0 ? "X".repeat(1000 + random.nextInt(4000)) : "M-SEARCH";
            default -> METHODS[random.nextInt(METHODS.length)];
        };
    }

    /** A request target for a raw request line: anything but CR, LF and the space that ends it. */
    String rawTarget() {
        String target = anyRawTarget();
        while (isOpaque(target)) {
            target = anyRawTarget();
        }
        return target;
    }

    private String anyRawTarget() {
        return switch (random.nextInt(20)) {
            case 0 -> "*";
            case 1 -> "http://127.0.0.1" + path(true) + query(true);
            case 2 -> "/devices/%" + "41".repeat(random.nextInt(3)); // a lone or half escape, which java.net.URI refuses
            case 3 -> "/devices/" + "a".repeat(3000 + random.nextInt(60_000)); // 414, up to far beyond it
            case 4 -> "/devices?after=" + "%41".repeat(1 + random.nextInt(3000));
            default -> path(true) + query(true);
        };
    }

    /**
     * Whether the JDK reads the target as an opaque URI (a scheme, then no path: {@code a:%2F}),
     * judged by the same {@link URI} parser the JDK server uses. A path without a leading slash can
     * begin like a scheme, so the pieces alone do not rule it out.
     */
    private static boolean isOpaque(String target) {
        try {
            return new URI(target).isOpaque();
        } catch (URISyntaxException e) {
            return false; // the JDK answers an unparsable target with its own 400
        }
    }

    /** A target java.net.URI accepts: every piece percent-encoded where it has to be. */
    String uriTarget() {
        String target = (random.nextInt(10) == 0 ? "/devices/" + "b".repeat(random.nextInt(6000)) : path(false)) + query(false);
        return target.startsWith("/") ? target : "/" + target;
    }

    /** A request line and headers, sometimes with odd versions, extra or repeated headers, or a small body. */
    byte[] rawRequest() {
        String method = method();
        StringBuilder request = new StringBuilder(method).append(' ').append(rawTarget()).append(' ').append(version()).append("\r\n");
        request.append("Host: 127.0.0.1\r\n");
        if (random.nextInt(4) == 0) {
            request.append("X-").append(letters(1 + random.nextInt(20))).append(": ").append(letters(random.nextInt(200))).append("\r\n");
        }
        if (random.nextInt(8) == 0) {
            request.append("Accept: */*\r\nAccept: application/json\r\n");
        }
        if (random.nextInt(10) == 0) {
            request.append("Expect: 100-continue\r\n");
        }
        String body = random.nextInt(6) == 0 ? letters(random.nextInt(100)) : "";
        if (!body.isEmpty() || random.nextBoolean()) {
            request.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n").append(body);
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String version() {
        return switch (random.nextInt(12)) {
            case 0 -> "HTTP/1.0";
            case 1 -> "HTTP/2.0";
            case 2 -> "HTTP/9";
            case 3 -> "http/1.1";
            default -> "HTTP/1.1";
        };
    }

    private String path(boolean raw) {
        StringBuilder path = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)]);
        int pieces = random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            path.append(raw ? rawPiece() : encodedPiece());
        }
        return path.toString();
    }

    private String query(boolean raw) {
        if (random.nextInt(3) != 0) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        int pairs = random.nextInt(5);
        for (int i = 0; i < pairs; i++) {
            if (i > 0) {
                query.append(random.nextInt(5) == 0 ? "&&" : "&");
            }
            query.append(PARAMETERS[random.nextInt(PARAMETERS.length)]);
            if (random.nextInt(6) != 0) {
                String value = random.nextInt(4) == 0 ? (raw ? rawPiece() : encodedPiece()) : VALUES[random.nextInt(VALUES.length)];
                query.append('=').append(raw ? value : encodeUnsafe(value));
            }
        }
        return query.toString();
    }

    /** Any piece, spaces excepted: a space would end the target in the request line. */
    private String rawPiece() {
        String piece = PIECES[random.nextInt(PIECES.length)];
        return piece.equals(" ") ? "%20" : piece;
    }

    /** Percent-escapes (valid or not as UTF-8) and the characters a URI may hold unescaped. */
    private String encodedPiece() {
        return encodeUnsafe(PIECES[random.nextInt(PIECES.length)]);
    }

    /**
     * Escapes what java.net.URI refuses. Well-formed escapes stay as they are, even those that are
     * not UTF-8 once decoded (%ff, %C3): only the server can refuse those.
     */
    private static String encodeUnsafe(String text) {
        StringBuilder out = new StringBuilder();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean escape = c == '%' && !(i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]));
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}#[]".indexOf(c) < 0 && !escape) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private String letters(int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append((char) ('A' + random.nextInt(26)));
        }
        return out.toString();
    }
}
