package io.offlinedetector.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The limits a request meets before any route sees it: a target of at most
 * {@value #MAX_TARGET_CHARS} ASCII characters (414, 400) and a body of at most
 * {@value #MAX_BODY_BYTES} bytes (413, judged by its declared length before it is read; Javalin
 * refuses a longer chunked body when it is read). Jetty refuses whatever does not parse as HTTP.
 */
final class RequestLimits {

    /** Longest request target (path and query) accepted; ids are at most 200 bytes. */
    static final int MAX_TARGET_CHARS = 4096;
    /** Largest request body accepted: no route takes a body today, and an id-sized one is plenty. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private RequestLimits() {}

    static void install(JavalinDefaultRoutingApi routes) {
        routes.before(RequestLimits::check);
    }

    private static void check(Context ctx) {
        String rawPath = ctx.req().getRequestURI();
        String rawQuery = ctx.queryString();
        if (rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) > MAX_TARGET_CHARS) {
            throw new ApiException(414, "request target longer than " + MAX_TARGET_CHARS + " characters");
        }
        // Raw bytes beyond ASCII would be read as some charset's characters: only percent-encoded UTF-8 is one id.
        if (!isAscii(rawPath) || rawQuery != null && !isAscii(rawQuery)) {
            throw ApiException.badRequest("request target is not ASCII; percent-encode other characters as UTF-8");
        }
        if (!wellFormedQuery(rawQuery)) {
            throw ApiException.badRequest("query string is not valid percent-encoded UTF-8");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            // The unread rest of the body makes the connection useless for another request.
            throw tooLarge();
        }
        if (declared < 0 && ctx.header("Transfer-Encoding") != null && readChunked(ctx) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes", Map.of("Connection", "close"));
    }

    /** A chunked body has no declared length: it is read, at most one byte past the limit. No route uses a body. */
    private static int readChunked(Context ctx) {
        try {
            return ctx.req().getInputStream().readNBytes(MAX_BODY_BYTES + 1).length;
        } catch (IOException e) {
            throw ApiException.badRequest("malformed chunked request body");
        }
    }

    /**
     * Javalin decodes a query leniently, so that a broken escape would silently become another value.
     * Every escape must be two hex digits, and each parameter's bytes valid UTF-8.
     */
    static boolean wellFormedQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.indexOf('%') < 0) {
            return true;
        }
        for (String part : rawQuery.split("[&=]", -1)) {
            ByteBuffer bytes = ByteBuffer.allocate(part.length());
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c != '%') {
                    bytes.put((byte) c);
                    continue;
                }
                if (i + 2 >= part.length() || !isHex(part.charAt(i + 1)) || !isHex(part.charAt(i + 2))) {
                    return false;
                }
                bytes.put((byte) Integer.parseInt(part, i + 1, i + 3, 16));
                i += 2;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(bytes.flip());
            } catch (CharacterCodingException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
