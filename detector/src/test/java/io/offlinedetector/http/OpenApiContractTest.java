package io.offlinedetector.http;

import static io.offlinedetector.testing.FakeFleet.device;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.domain.Status;
import io.offlinedetector.query.DeviceView;
import io.offlinedetector.testing.FakeFleet;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /openapi.json} is the API: real answers of the real server conform to it (checked
 * with Atlassian's swagger-request-validator), and it documents exactly the routes the server has,
 * so that a new route or field cannot go undocumented.
 */
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private static final String DOCUMENT = spec();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createForInlineApiSpecification(DOCUMENT).build();

    private FakeFleet fleet;
    private ApiServer server;

    @BeforeEach
    void startServer() {
        fleet = new FakeFleet();
        fleet.add(device("sensor-42", Status.ONLINE));
        fleet.add(device("pump-7", Status.OFFLINE));
        fleet.add(new DeviceView("bare-1", "ONLINE", "2026-11-21T20:00:00Z", "2026-11-21T20:00:00Z", 300_000, null, null, false, 1));
        server = ApiServer.bind("127.0.0.1", 0);
        server.start(fleet, new OperatorServices(null,
                () -> new OperatorServices.Scrape("text/plain; version=0.0.4; charset=utf-8", "up 1\n".getBytes(StandardCharsets.UTF_8)),
                RequestTimer.NONE, AdminAccess.DISABLED));
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "GET /devices/sensor-42", "GET /devices/pump-7", "GET /devices/bare-1", "GET /devices/never-seen", "GET /devices/a%01b",
        "GET /devices/sensor-42/history", "GET /devices/pump-7/history?limit=1", "GET /devices/never-seen/history", "GET /devices/sensor-42/history?limit=101",
        "GET /devices/a%01b/history",
        "GET /devices", "GET /devices?limit=1", "GET /devices?status=OFFLINE&limit=10", "GET /devices?limit=0", "GET /devices?status=SLEEPING",
        "GET /devices?status=OFFLINE&deviceType=thermostat&group=site-7&limit=10", "GET /devices?group=ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
        "GET /stats", "GET /stats?by=group", "GET /stats?by=deviceType&sort=offline", "GET /stats?by=site",
        "GET /stats?by=group&local=true&limit=1", "GET /stats?by=group&local=true&status=OFFLINE", "GET /stats?by=group&local=true&key=awFzaXRlLTc", "GET /instances", "GET /health", "GET /ready", "GET /metrics", "GET /openapi.json", "GET /",
        "GET /events?status=SLEEPING", "GET /events", "DELETE /devices/sensor-42"})
    @DisplayName("each real answer conforms to the document")
    void realAnswersConformToTheDocument(String request) throws Exception {
        String method = request.substring(0, request.indexOf(' '));
        URI uri = URI.create(server.address() + request.substring(request.indexOf(' ') + 1));
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach((name, values) -> answer.withHeader(name, values));
        ValidationReport report = VALIDATOR.validateResponse(uri.getRawPath(), Request.Method.valueOf(method), answer.build());

        assertThat(report.getMessages()).as("%s answered %d %s", request, response.statusCode(), response.body()).isEmpty();
    }

    @Test
    @DisplayName("the document has exactly the server's routes")
    void documentsExactlyTheRoutesTheServerHas() throws Exception {
        Set<String> documented = new TreeSet<>();
        JsonNode paths = JSON.readTree(DOCUMENT).get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            paths.get(path).fieldNames().forEachRemaining(field -> {
                if (!field.equals("parameters")) {
                    documented.add(field.toUpperCase(Locale.ROOT) + " " + path);
                }
            });
        }
        Set<String> served = new TreeSet<>();
        server.routes().stream()
                .filter(route -> route.startsWith("GET ") || route.startsWith("DELETE ") || route.startsWith("POST ") || route.startsWith("PUT "))
                .forEach(served::add);

        assertThat(served).isNotEmpty();
        assertThat(documented).isEqualTo(served);
    }

    private static String spec() {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("the jar lacks openapi.json", e);
        }
    }
}
