package io.offlinedetector.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Tells whether a request's body is larger than the API accepts, reading as little of it as
 * possible. A declared {@code Content-Length} is judged without reading a byte. A chunked body
 * declares nothing, so at most {@code maxBytes + 1} bytes of it are read; when it fits, those bytes
 * are put back so that a route can still read the body.
 *
 * <p>The JDK server has already refused a malformed or negative {@code Content-Length}, both
 * {@code Content-Length} and {@code Transfer-Encoding}, and any transfer coding but chunked.
 */
final class RequestBodyLimit {

    private RequestBodyLimit() {}

    /** @throws ApiException 400 when a chunked body is malformed */
    static boolean exceeds(HttpExchange exchange, int maxBytes) {
        String transferEncoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.trim().equalsIgnoreCase("chunked")) {
            return chunkedExceeds(exchange, maxBytes);
        }
        String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length is not a number");
        }
    }

    private static boolean chunkedExceeds(HttpExchange exchange, int maxBytes) {
        byte[] body;
        try {
            body = exchange.getRequestBody().readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed chunked request body");
        }
        if (body.length > maxBytes) {
            return true;
        }
        exchange.setStreams(new ByteArrayInputStream(body), null);
        return false;
    }
}
