package io.offlinedetector.http;

import java.util.HashMap;
import java.util.Map;

/**
 * One line of the route table: a method, a path template such as {@code /devices/{id}}, and the
 * handler. Template segments in braces match one non-empty path segment.
 */
public record Route(String method, String template, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    public static Route get(String template, Handler handler) {
        return new Route("GET", template, handler);
    }

    public static Route delete(String template, Handler handler) {
        return new Route("DELETE", template, handler);
    }

    /**
     * @param rawSegments the request path split on '/', still percent-encoded
     * @return the decoded path parameters, or {@code null} when the path does not match
     * @throws ApiException 400 when a parameter is not valid percent-encoded UTF-8
     */
    Map<String, String> match(String[] rawSegments) {
        String[] templateSegments = template.substring(1).split("/", -1);
        if (templateSegments.length != rawSegments.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < templateSegments.length; i++) {
            String expected = templateSegments[i];
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (rawSegments[i].isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), PercentDecoding.decode(rawSegments[i], false));
            } else if (!expected.equals(rawSegments[i])) {
                return null;
            }
        }
        return params;
    }
}
