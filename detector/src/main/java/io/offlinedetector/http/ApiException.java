package io.offlinedetector.http;

import java.util.Map;

/** An answer other than success: its status, the reason shown as {@code {"error": …}}, extra headers. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public ApiException(int status, String reason) {
        this(status, reason, Map.of());
    }

    public ApiException(int status, String reason, Map<String, String> headers) {
        super(reason, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }

    public static ApiException unavailable(String reason, int retryAfterSeconds) {
        return new ApiException(503, reason, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
