package io.offlinedetector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.offlinedetector.domain.CountKind;
import io.offlinedetector.query.GroupCounts;
import io.offlinedetector.topology.InputProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * This instance's Micrometer meters, the ones {@code GET /metrics} serves in Prometheus' text
 * format: every Kafka Streams metric through Micrometer's binder (among them each task's own
 * sensors, {@code io.offlinedetector.topology.TaskMetrics}, as {@code kafka_offline_detector_*}),
 * the JVM's, the HTTP API's latency by route and its partial answers, the devices by status and
 * device type (or group), whether an ingestion stall is declared, and the gauges and counters others
 * register here (the dashboard's live feed). One registry per instance, closed with it.
 */
public final class InstanceMeters implements AutoCloseable {

    /** Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * How often the binder looks for Kafka metrics that came or went (tasks move between instances
     * on every rebalance); the values themselves are read at each scrape.
     */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);
    /**
     * Buckets around the latency targets: 5 ms for a local lookup, 15 ms forwarded
     * (docs/performance.md, 'Targets').
     */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(15),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final List<DeviceCountGauges> deviceCounts = new CopyOnWriteArrayList<>();
    private final Map<RequestSeries, Timer> requestTimers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService kafkaRefresh = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "metrics-kafka-refresh");
        thread.setDaemon(true);
        return thread;
    });

    public InstanceMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
    }

    /** Exports every metric of this Kafka Streams instance, including those of tasks it gets later. */
    public void bind(KafkaStreams streams) {
        KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(streams, Tags.empty(), kafkaRefresh, KAFKA_REFRESH);
        kafka.bindTo(registry);
        binders.add(kafka);
    }

    /** Times one answer of the HTTP API; {@code route} is the route's template, so that ids do not multiply the series. */
    public void recordRequest(String method, String route, int status, long nanos) {
        RequestSeries series = new RequestSeries(method, route, status);
        Timer timer = requestTimers.get(series);
        if (timer == null) {
            // Built once per series: building a timer's id for every answer allocated more than the rest of a lookup.
            timer = requestTimers.computeIfAbsent(series, key -> Timer.builder("offline.detector.http.requests")
                    .description("time to answer an HTTP request, by route")
                    .tags("method", key.method(), "route", key.route(), "status", Integer.toString(key.status()))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private record RequestSeries(String method, String route, int status) {}

    /**
     * The fleet gauges: {@code offline_detector_devices{status,device_type}} and, with
     * {@code byGroup}, {@code offline_detector_group_devices{status,group}}, read from {@code counts}
     * at each scrape. Devices without a device type (or group) have the label value {@code ""}.
     *
     * @param counts this instance's counts by key, of its active partitions only, so that a
     *     {@code sum} across instances is the fleet
     * @param byGroup a series per group and status; a fleet may have very many groups
     */
    public void deviceCounts(Function<CountKind, GroupCounts> counts, boolean byGroup) {
        deviceCounts.add(new DeviceCountGauges(registry, "offline.detector.devices",
                "devices of this instance's partitions, by status and device type", CountKind.DEVICE_TYPE, "device_type", counts));
        if (byGroup) {
            deviceCounts.add(new DeviceCountGauges(registry, "offline.detector.group.devices",
                    "devices of this instance's partitions, by status and group", CountKind.GROUP, "group", counts));
        }
    }

    /**
     * {@code offline_detector_ingestion_stalled}: 1 while an ingestion stall is declared and has not
     * ended, else 0. A quiet spell that is not (yet) declared reads 0: it may be a hiccup, and an
     * alert on it would fire on every pause of the input.
     *
     * @param stall this instance's view of the input (every instance watches the same end offsets)
     */
    public void ingestionStall(Supplier<InputProgress.Stall> stall) {
        Gauge.builder("offline.detector.ingestion.stalled", stall, InstanceMeters::stalled)
                .description("1 while an ingestion stall is declared (the whole input stopped after steady traffic), else 0")
                // Micrometer holds a gauge's object weakly; nothing else holds this method reference.
                .strongReference(true)
                .register(registry);
    }

    private static double stalled(Supplier<InputProgress.Stall> stall) {
        InputProgress.Stall now = stall.get();
        return now.declared() && now.ongoing() ? 1 : 0;
    }

    /**
     * {@code offline_detector_partial_answers_total{route}}, every route's series at 0 from the start:
     * a series that appears only with the first partial answer would hide it from {@code rate()} and
     * {@code increase()}, which need a sample before the first increment.
     */
    public void partialAnswers(List<String> routes) {
        routes.forEach(this::partialAnswerCounter);
    }

    /** One client's answer of {@code route} that fanned out and missed instances or partitions. */
    public void recordPartialAnswer(String route) {
        partialAnswerCounter(route).increment();
    }

    private Counter partialAnswerCounter(String route) {
        return Counter.builder("offline.detector.partial.answers")
                .description("answers to clients that fanned out to every instance and missed some, by route")
                .tag("route", route)
                .register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void counter(String name, String description, Supplier<Number> total) {
        counter(name, description, Tags.empty(), total);
    }

    public void counter(String name, String description, Tags tags, Supplier<Number> total) {
        FunctionCounter.builder(name, total, supplier -> supplier.get().doubleValue()).description(description).tags(tags).register(registry);
    }

    /** Every metric, in Prometheus' text format. */
    public String scrape() {
        deviceCounts.forEach(DeviceCountGauges::refresh);
        return registry.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // closing frees threads and meters; there is nothing left to do if it fails
            }
        }
        kafkaRefresh.shutdownNow();
        registry.close();
    }
}
