package io.offlinedetector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offlinedetector.App;
import io.offlinedetector.config.Setting;
import io.offlinedetector.testing.Browser;
import io.offlinedetector.testing.DetectorApps;
import io.offlinedetector.testing.KafkaBroker;
import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real headless Chromium against a running detector on a real broker: the
 * counts change, transitions appear and filter, a device is looked up. The last test takes a
 * screenshot, into the detector module's {@code target/} so that a test run leaves the checkout as
 * it was; {@code -Ddashboard.screenshot=../docs/dashboard.png} (relative to the module) refreshes
 * the one that README.md and docs/http-api.md show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Devices that ask for this timeout go offline soon after their heartbeat. */
    private static final String SHORT_LIVED = "{\"deviceType\":\"%s\",\"timeoutMs\":1500}";
    private static final String LONG_LIVED = "{\"deviceType\":\"%s\"}";
    static final Path SCREENSHOT = Path.of(System.getProperty("dashboard.screenshot", "target/dashboard.png"));

    private final AtomicInteger serial = new AtomicInteger(100);
    private KafkaBroker broker;
    private App app;
    private KafkaProducer<byte[], byte[]> producer;
    private ChromeDriver browser;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Browser.requireInstalled(); // before the broker: a skipped test should cost nothing
        broker = KafkaBroker.start();
        app = DetectorApps.start(broker, "dashboard-it-" + UUID.randomUUID(), dir.resolve("state"), Map.of(Setting.DEFAULT_TIMEOUT, "10m"));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        await().atMost(WAIT).until(app::ready);
        browser = Browser.start(dir.resolve("browser-profile"), 1280, 1000);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void countsAndTransitionsUpdateLiveAsDevicesComeAndGo() {
        open();
        long online = count("online");
        long offline = count("offline");
        long total = count("total");
        List<String> staying = List.of(device("thermostat"), device("thermostat"), device("camera"), device("meter"));
        List<String> leaving = List.of(device("camera"), device("tracker"));

        staying.forEach(id -> beat(id, LONG_LIVED, type(id)));
        leaving.forEach(id -> beat(id, SHORT_LIVED, type(id)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(count("total")).isEqualTo(total + 6));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count("offline")).isEqualTo(offline + 2);
            assertThat(count("online")).isEqualTo(online + 4);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(rowStatuses(leaving.get(0))).containsExactly("OFFLINE", "ONLINE"); // newest first
            assertThat(rowStatuses(staying.get(0))).containsExactly("ONLINE");
        });

        beat(leaving.get(0), LONG_LIVED, "camera"); // it comes back
        await().atMost(WAIT).untilAsserted(() -> assertThat(rowStatuses(leaving.get(0))).containsExactly("ONLINE", "OFFLINE", "ONLINE"));
        assertThat(row(leaving.get(0)).getText()).contains("HEARTBEAT_RESUMED");
        await().atMost(WAIT).untilAsserted(() -> assertThat(count("online")).isEqualTo(online + 5));
    }

    @Test
    @Order(2)
    void transitionsCanBeFilteredByStatusAndByDevice() {
        String pump = device("pump");
        String valve = device("valve");
        beat(pump, SHORT_LIVED, "pump");
        beat(valve, LONG_LIVED, "valve");
        open();
        await().atMost(WAIT).untilAsserted(() -> assertThat(rowStatuses(pump)).containsExactly("OFFLINE", "ONLINE"));

        browser.findElement(By.cssSelector("#filter-status option[value='OFFLINE']")).click();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(rowStatuses(pump)).containsExactly("OFFLINE");
            assertThat(rows()).isNotEmpty().allSatisfy(row -> assertThat(row.getAttribute("data-status")).isEqualTo("OFFLINE"));
        });

        browser.findElement(By.cssSelector("#filter-status option[value='']")).click();
        browser.findElement(By.id("filter-device")).sendKeys(valve.substring(valve.indexOf('-'))); // part of its id
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(rows()).singleElement().satisfies(row -> assertThat(row.getAttribute("data-device")).isEqualTo(valve)));
    }

    @Test
    @Order(3)
    void theSearchBoxLooksUpOneDevice() {
        String meter = device("meter");
        beat(meter, LONG_LIVED, "meter");
        open();
        await().atMost(WAIT).until(() -> !rowStatuses(meter).isEmpty());

        search(meter);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("device-id")).getText()).isEqualTo(meter);
            assertThat(browser.findElement(By.id("device-status")).getText()).isEqualTo("ONLINE");
            assertThat(browser.findElement(By.id("device")).getText()).contains("Timeout", "10m", "meter");
        });

        search("never-heard-of");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(browser.findElement(By.id("device")).getText()).contains("No device never-heard-of"));
    }

    @Test
    @Order(4)
    void takesTheScreenshotShownInTheReadme() throws Exception {
        // a fleet that looks like one: several types, a few devices going silent
        for (String type : List.of("thermostat", "camera", "meter", "pump", "gateway", "tracker")) {
            for (int i = 0; i < 5; i++) {
                beat(device(type), i == 0 ? SHORT_LIVED : LONG_LIVED, type);
            }
        }
        open();
        await().atMost(WAIT).untilAsserted(() -> assertThat(count("offline")).isGreaterThanOrEqualTo(9));
        String camera = rows().stream().map(row -> row.getAttribute("data-device")).filter(id -> id.startsWith("camera")).findFirst().orElseThrow();
        search(camera);
        await().atMost(WAIT).until(() -> browser.findElement(By.id("device")).getText().contains("Served by"));
        await().atMost(WAIT).until(() -> rows().size() >= 10);

        byte[] png = browser.getScreenshotAs(OutputType.BYTES);

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.write(SCREENSHOT, png);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    /** Loads the page afresh and waits until it is live and shows the counts. */
    private void open() {
        browser.get(app.url() + "/");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(browser.findElement(By.id("connection")).getAttribute("data-state")).isEqualTo("live");
            assertThat(browser.findElement(By.id("total")).getText()).matches("[0-9,]+");
        });
    }

    private void search(String id) {
        WebElement box = browser.findElement(By.id("search-id"));
        box.clear();
        box.sendKeys(id);
        box.submit();
    }

    private long count(String id) {
        return Long.parseLong(browser.findElement(By.id(id)).getText().replace(",", ""));
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#transitions tr"));
    }

    private WebElement row(String device) {
        return browser.findElement(By.cssSelector("#transitions tr[data-device='" + device + "']"));
    }

    /** The statuses of the device's rows, top (newest) first. */
    private List<String> rowStatuses(String device) {
        return browser.findElements(By.cssSelector("#transitions tr[data-device='" + device + "']")).stream()
                .map(row -> row.getAttribute("data-status"))
                .toList();
    }

    /** Ids that read like a fleet's (they end up in the screenshot), unique within the run. */
    private String device(String type) {
        return type + "-" + serial.incrementAndGet();
    }

    private static String type(String device) {
        return device.substring(0, device.indexOf('-'));
    }

    private void beat(String device, String template, String type) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, System.currentTimeMillis(),
                device.getBytes(StandardCharsets.UTF_8), String.format(template, type).getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }
}
