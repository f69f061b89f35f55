package io.offlinedetector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.offlinedetector.query.PeerProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps failures to statuses, and every error's body: {@code {"error": "..."}}.
 * An {@link ApiException} gives its status, reason and headers; Javalin's own refusals (no such
 * route, method not allowed, body too large) keep their status; anything else is a 500 without
 * details, its cause logged. Requests Jetty refuses before they reach Javalin (a malformed
 * percent-escape, an unparsable request line, headers too large) get the same JSON body.
 */
final class JsonErrors {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private JsonErrors() {}

    static void install(JavalinDefaultRoutingApi routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            send(ctx, e.status(), e.getMessage());
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(), javalinReason(e, ctx)));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
            send(ctx, 500, "internal error");
        });
    }

    static void send(Context ctx, int status, String reason) {
        HttpApi.send(ctx.status(status), CONTENT_TYPE, body(reason));
    }

    static byte[] body(String reason) {
        try {
            return JSON.writeValueAsBytes(Map.of("error", reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Javalin's refusals in the API's words: 404 names the path, 405 the methods allowed. */
    private static String javalinReason(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> PeerProtocol.NO_SUCH_ENDPOINT + ": " + abbreviate(ctx.req().getRequestURI());
            case 405 -> {
                String allowed = String.join(", ", new java.util.TreeSet<>(List.of(e.getDetails().getOrDefault("availableMethods", "").split(",\\s*"))));
                if (!allowed.isEmpty()) {
                    ctx.header("Allow", allowed);
                }
                yield "method " + ctx.method() + " is not allowed here";
            }
            case 413 -> "request body larger than " + RequestLimits.MAX_BODY_BYTES + " bytes";
            default -> e.getMessage();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    /** Jetty's answer to requests it refuses before any handler, such as a malformed percent-escape: JSON, not a page. */
    static final class ServerErrors extends org.eclipse.jetty.server.handler.ErrorHandler {

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            writeJson(response, code, message, callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            return jsonBody(status, reason, fields);
        }
    }

    /** The same inside the servlet context, for errors Jetty raises around Javalin's servlet. */
    static final class ServletErrors extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                List<Charset> charsets, int code, String message, Throwable cause) {
            writeJson(response, code, message, callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            return jsonBody(status, reason, fields);
        }
    }

    /** Jetty closes the connection after a request it could not parse: said, so that clients do not reuse it. */
    private static ByteBuffer jsonBody(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
        fields.put(new HttpField(HttpHeader.CONNECTION, "close"));
        return ByteBuffer.wrap(body(reason(status, reason)));
    }

    private static void writeJson(Response response, int code, String message, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body(reason(code, message))), callback);
    }

    private static String reason(int status, String message) {
        // Jetty's bare reason phrase says nothing the status does not: a sentence that helps instead.
        if (message != null && !message.isBlank() && !message.equals(org.eclipse.jetty.http.HttpStatus.getMessage(status))) {
            return message;
        }
        return status == 400 ? "malformed request: the request line or a header does not parse (a bad percent-escape?)"
                : org.eclipse.jetty.http.HttpStatus.getMessage(status);
    }
}
