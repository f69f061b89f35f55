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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real headless Chromium against a running detector on a real broker: the
 * counts change and are charted, transitions appear and filter, groups are listed worst first and
 * filter the page, device types are counted, a device is looked up with its timeline and uptime.
 * The tests run in order, and from the chart's test on share one page, so that the chart fills.
 * The last test takes a screenshot, into the detector module's {@code target/} so that a test run
 * leaves the checkout as it was; {@code -Ddashboard.screenshot=../docs/dashboard.png} (relative to
 * the module) refreshes the one that README.md and docs/http-api.md show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Devices that ask for this timeout go offline soon after their heartbeat. */
    private static final String SHORT_LIVED = "{\"deviceType\":\"%s\",\"group\":\"%s\",\"timeoutMs\":1500}";
    private static final String LONG_LIVED = "{\"deviceType\":\"%s\",\"group\":\"%s\"}";
    /** The group of the first tests' devices. */
    private static final String LAB = "lab";
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
        eventually().until(app::ready);
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

        staying.forEach(id -> beat(id, LONG_LIVED, type(id), LAB));
        leaving.forEach(id -> beat(id, SHORT_LIVED, type(id), LAB));

        eventually().untilAsserted(() -> assertThat(count("total")).isEqualTo(total + 6));
        eventually().untilAsserted(() -> {
            assertThat(count("offline")).isEqualTo(offline + 2);
            assertThat(count("online")).isEqualTo(online + 4);
        });
        eventually().untilAsserted(() -> {
            assertThat(rowStatuses(leaving.get(0))).containsExactly("OFFLINE", "ONLINE"); // newest first
            assertThat(rowStatuses(staying.get(0))).containsExactly("ONLINE");
        });

        beat(leaving.get(0), LONG_LIVED, "camera", LAB); // it comes back
        eventually().untilAsserted(() -> assertThat(rowStatuses(leaving.get(0))).containsExactly("ONLINE", "OFFLINE", "ONLINE"));
        assertThat(row(leaving.get(0)).getText()).contains("HEARTBEAT_RESUMED");
        eventually().untilAsserted(() -> assertThat(count("online")).isEqualTo(online + 5));
    }

    @Test
    @Order(2)
    void transitionsCanBeFilteredByStatusAndByDevice() {
        String pump = device("pump");
        String valve = device("valve");
        beat(pump, SHORT_LIVED, "pump", LAB);
        beat(valve, LONG_LIVED, "valve", LAB);
        open();
        eventually().untilAsserted(() -> assertThat(rowStatuses(pump)).containsExactly("OFFLINE", "ONLINE"));

        browser.findElement(By.cssSelector("#filter-status option[value='OFFLINE']")).click();
        eventually().untilAsserted(() -> {
            assertThat(rowStatuses(pump)).containsExactly("OFFLINE");
            assertThat(rows()).isNotEmpty().allSatisfy(row -> assertThat(row.getAttribute("data-status")).isEqualTo("OFFLINE"));
        });

        browser.findElement(By.cssSelector("#filter-status option[value='']")).click();
        browser.findElement(By.id("filter-device")).sendKeys(valve.substring(valve.indexOf('-'))); // part of its id
        eventually().untilAsserted(() ->
                assertThat(rows()).singleElement().satisfies(row -> assertThat(row.getAttribute("data-device")).isEqualTo(valve)));
    }

    @Test
    @Order(3)
    void theSearchBoxLooksUpOneDeviceWithItsTimelineAndUptime() {
        String meter = device("meter");
        String tracker = device("tracker");
        beat(meter, LONG_LIVED, "meter", LAB);
        beat(tracker, SHORT_LIVED, "tracker", LAB);
        open();
        eventually().until(() -> !rowStatuses(meter).isEmpty());

        search(meter);
        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("device-id")).getText()).isEqualTo(meter);
            assertThat(browser.findElement(By.id("device-status")).getText()).isEqualTo("ONLINE");
            assertThat(browser.findElement(By.id("device")).getText()).contains("Timeout", "10m", "meter", LAB);
            assertThat(timeline()).containsExactly("ONLINE");
            assertThat(textOf("device-uptime")).contains("24 h: 100 %", "7 d: 100 %");
        });

        eventually().untilAsserted(() -> assertThat(rowStatuses(tracker)).containsExactly("OFFLINE", "ONLINE"));
        beat(tracker, LONG_LIVED, "tracker", LAB); // it comes back
        eventually().untilAsserted(() -> assertThat(rowStatuses(tracker)).containsExactly("ONLINE", "OFFLINE", "ONLINE"));
        search(tracker);
        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("device-id")).getText()).isEqualTo(tracker);
            assertThat(timeline()).containsExactly("ONLINE", "OFFLINE", "ONLINE"); // newest first
            assertThat(textOf("device-timeline")).contains("HEARTBEAT_RESUMED", "TIMEOUT", "FIRST_HEARTBEAT");
            // offline for a while of the few seconds it has been known: less than all of the time
            assertThat(textOf("device-uptime")).matches("(?s).*24 h: [0-9]{1,2}(\\.[0-9])? %.*7 d: [0-9]{1,2}(\\.[0-9])? %.*");
        });
        assertThat(browser.findElements(By.id("device-uptime-incomplete"))).isEmpty(); // its first transition is kept

        search("never-heard-of");
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(By.id("device")).getText()).contains("No device never-heard-of"));
    }

    @Test
    @Order(4)
    void theChartPlotsOnlineAndOfflineCountsAsTheyArrive() {
        open(); // the chart starts empty, and gains a point for each stats event, once a second
        eventually().untilAsserted(() -> {
            for (String series : List.of("#chart-online", "#chart-offline")) {
                assertThat(Integer.parseInt(attributes(series, "data-points").get(0))).isGreaterThanOrEqualTo(3);
                assertThat(attributes(series, "points").get(0).trim().split(" ")).hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(point -> assertThat(point).matches("[0-9.]+,[0-9.]+"));
            }
        });
        assertThat(browser.findElement(By.id("chart-caption")).getText()).contains("starts empty");
    }

    @Test
    @Order(5)
    void groupsAreListedWorstFirstAndOneCanBeChosen() {
        // site-a: three offline of four, site-b: one of three, site-c: none of two
        List<String> siteAOffline = List.of(device("camera"), device("meter"), device("pump"));
        siteAOffline.forEach(id -> beat(id, SHORT_LIVED, type(id), "site-a"));
        beat(device("thermostat"), LONG_LIVED, "thermostat", "site-a");
        beat(device("camera"), SHORT_LIVED, "camera", "site-b");
        beat(device("meter"), LONG_LIVED, "meter", "site-b");
        beat(device("meter"), LONG_LIVED, "meter", "site-b");
        beat(device("valve"), LONG_LIVED, "valve", "site-c");
        beat(device("valve"), LONG_LIVED, "valve", "site-c");

        // the page stays open from the chart's test: the table follows without a reload
        eventually().untilAsserted(() -> {
            Map<String, List<String>> groups = groupRows();
            assertThat(groups).containsEntry("site-a", List.of("3", "1", "4"))
                    .containsEntry("site-b", List.of("1", "2", "3"))
                    .containsEntry("site-c", List.of("0", "2", "2"));
            List<String> order = List.copyOf(groups.keySet());
            assertThat(order.indexOf("site-a")).isLessThan(order.indexOf("site-b"));
            assertThat(order.indexOf("site-b")).isLessThan(order.indexOf("site-c"));
            List<Long> offline = groups.values().stream().map(counts -> Long.parseLong(counts.get(0))).toList();
            assertThat(offline).isSortedAccordingTo(Comparator.reverseOrder()); // worst first
        });

        browser.findElement(By.cssSelector("#groups tr[data-group='site-a'] button")).click();
        eventually().untilAsserted(() -> {
            assertThat(visibleRowGroups()).isNotEmpty().containsOnly("site-a");
            assertThat(groupDevices()).containsExactlyInAnyOrderElementsOf(siteAOffline);
            assertThat(textOf("group-devices-title")).isEqualTo("Offline in site-a");
        });

        browser.findElement(By.id("group-clear")).click();
        eventually().untilAsserted(() -> {
            assertThat(visibleRowGroups()).contains("site-a", "site-b", LAB);
            assertThat(browser.findElement(By.id("group-devices-panel")).isDisplayed()).isFalse();
        });
    }

    @Test
    @Order(6)
    void theTypeBreakdownListsTheTypes() {
        eventually().untilAsserted(() -> assertThat(attributes("#types tr", "data-type"))
                .contains("thermostat", "camera", "meter", "pump", "valve", "tracker"));
    }

    @Test
    @Order(7)
    void takesTheScreenshotShownInTheReadme() throws Exception {
        long offline = count("offline");
        // a fleet that looks like one: several types and sites, a few devices going silent
        List<String> sites = List.of("site-north", "site-south", "warehouse-3");
        int n = 0;
        for (String type : List.of("thermostat", "camera", "meter", "pump", "gateway", "tracker")) {
            for (int i = 0; i < 5; i++, n++) {
                beat(device(type), i == 0 ? SHORT_LIVED : LONG_LIVED, type, sites.get(n % sites.size()));
            }
        }
        // the page stays open from the earlier tests, so that the chart shows a while of the fleet
        eventually().untilAsserted(() -> assertThat(count("offline")).isGreaterThanOrEqualTo(offline + 6));
        eventually().until(() -> groupRows().keySet().containsAll(sites));
        String camera = rows().stream().map(row -> row.getAttribute("data-device")).filter(id -> id.startsWith("camera")).findFirst().orElseThrow();
        search(camera);
        eventually().until(() -> !timeline().isEmpty());
        eventually().until(() -> rows().size() >= 10);
        browser.manage().window().setSize(new Dimension(1280, 1800)); // the whole page, down to the first transitions
        browser.executeScript("document.activeElement.blur(); window.scrollTo(0, 0);"); // the search box scrolled it

        byte[] png = browser.getScreenshotAs(OutputType.BYTES);

        Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
        Files.write(SCREENSHOT, png);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    /** Loads the page afresh and waits until it is live and shows the counts. */
    private void open() {
        browser.get(app.url() + "/");
        eventually().untilAsserted(() -> {
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

    /**
     * Waits for a condition on what the page shows. The page replaces its tables as answers come,
     * so an element found a moment ago may be gone: such a look is simply tried again.
     */
    private static ConditionFactory eventually() {
        return await().atMost(WAIT)
                .ignoreExceptionsMatching(e -> e instanceof NoSuchElementException || e instanceof StaleElementReferenceException);
    }

    /** An attribute of every element that matches, in page order, read in one step in the page. */
    @SuppressWarnings("unchecked")
    private List<String> attributes(String selector, String attribute) {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getAttribute(arguments[1]));", selector, attribute);
    }

    /** The text a person sees in the element, or "" while there is none. */
    private String textOf(String id) {
        return (String) browser.executeScript("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';", id);
    }

    /** The statuses of the looked-up device's timeline, top (newest) first. */
    private List<String> timeline() {
        return attributes("#device-timeline tr", "data-status");
    }

    /** The groups table, top first: each group's offline, online and total counts as shown. */
    @SuppressWarnings("unchecked")
    private Map<String, List<String>> groupRows() {
        List<List<String>> rows = (List<List<String>>) browser.executeScript(
                "return Array.from(document.querySelectorAll('#groups tr'))"
                        + ".map(r => [r.dataset.group, ...Array.from(r.cells).slice(1, 4).map(c => c.textContent)]);");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        rows.forEach(row -> groups.put(row.get(0), row.subList(1, 4)));
        return groups;
    }

    /** The groups of the transitions a person sees (the group filter hides the others). */
    @SuppressWarnings("unchecked")
    private List<String> visibleRowGroups() {
        return (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('#transitions tr')).filter(r => !r.hidden).map(r => r.dataset.group);");
    }

    private List<String> groupDevices() {
        return attributes("#group-devices li", "data-device");
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
        return attributes("#transitions tr[data-device='" + device + "']", "data-status");
    }

    /** Ids that read like a fleet's (they end up in the screenshot), unique within the run. */
    private String device(String type) {
        return type + "-" + serial.incrementAndGet();
    }

    private static String type(String device) {
        return device.substring(0, device.indexOf('-'));
    }

    private void beat(String device, String template, String type, String group) {
        producer.send(new ProducerRecord<>(Names.HEARTBEATS_TOPIC, null, System.currentTimeMillis(),
                device.getBytes(StandardCharsets.UTF_8), String.format(template, type, group).getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }
}
