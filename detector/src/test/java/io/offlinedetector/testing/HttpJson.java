package io.offlinedetector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GET requests to a detector's API for tests; bounded by timeouts, never throwing for a status. */
public final class HttpJson {

    /** A response: status, JSON body (or null), the instance that served it (or null). */
    public record Reply(int status, JsonNode body, String servedBy) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private HttpJson() {}

    /** @return the reply, or status -1 when the instance cannot be reached or does not answer in 10 s */
    public static Reply get(String baseUrl, String pathAndQuery) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body, response.headers().firstValue("X-Served-By").orElse(null));
        } catch (IOException e) {
            return new Reply(-1, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, null, null);
        }
    }
}
