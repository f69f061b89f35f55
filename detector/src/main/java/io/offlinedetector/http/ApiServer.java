package io.offlinedetector.http;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.query.FleetQueries;
import java.net.BindException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API on Javalin (Jetty 12). The port is bound first, so that port 0 resolves and a taken
 * port stops start-up at once, before Kafka is asked anything; the API answers 503 until
 * {@link #start} hands it the query side.
 */
public final class ApiServer {

    /** Jetty's threads: they never wait for a peer, so a few dozen serve any load this API sees. */
    private static final int SERVER_THREADS = 32;
    /** Client requests, which may wait for a peer, run here (see {@link RequestLanes}). */
    private static final int CLIENT_LANE_THREADS = 8;
    /** Request line and headers: far more than any client sends (Jetty's default is 8 KiB). */
    private static final int REQUEST_HEAD_BYTES = 128 * 1024;
    /** The dashboard's files: only these are served from the jar's dashboard folder. */
    private static final java.util.Set<String> DASHBOARD_FILES = java.util.Set.of("/dashboard/dashboard.css", "/dashboard/dashboard.js");
    /** A client that has not sent its whole request within this long holds a connection for nothing. */
    private static final long IDLE_TIMEOUT_MS = 30_000;

    private final Javalin javalin;
    private final String host;
    private final HttpApi api;
    private final ExecutorService clientLane;

    private ApiServer(Javalin javalin, String host, HttpApi api, ExecutorService clientLane) {
        this.javalin = javalin;
        this.host = host;
        this.api = api;
        this.clientLane = clientLane;
    }

    /** @throws StartupException when the address cannot be bound, for example the port is in use */
    public static ApiServer bind(String host, int port) {
        HttpApi api = new HttpApi();
        ExecutorService clientLane = clientLane();
        RequestLanes lanes = new RequestLanes(clientLane);
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = serverThreads();
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors.ServerErrors()));
            config.jetty.modifyServletContextHandler(context -> {
                context.setErrorHandler(new JsonErrors.ServletErrors());
                // Device ids may hold '/', sent as %2F: the id is one path segment however it is spelled.
                context.getServletHandler().setDecodeAmbiguousURIs(true);
            });
            config.jetty.modifyHttpConfiguration(http -> {
                // Control and other unusual characters reach the API, whose answer names the problem in the id.
                http.setUriCompliance(UriCompliance.from(
                        "DEFAULT,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_PATH_ENCODING,SUSPICIOUS_PATH_CHARACTERS,ILLEGAL_PATH_CHARACTERS"));
                http.setRequestHeaderSize(REQUEST_HEAD_BYTES);
                http.setIdleTimeout(IDLE_TIMEOUT_MS);
                http.setSendServerVersion(false);
            });
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
            config.router.ignoreTrailingSlashes = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/dashboard";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
                // The files change only with the jar; revalidating on each load keeps an upgrade visible at once.
                files.headers = java.util.Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
                files.skipFileFunction = request -> !DASHBOARD_FILES.contains(request.getRequestURI());
            });
            RequestLimits.install(config.routes);
            JsonErrors.install(config.routes);
            api.routes(config.routes, lanes);
        });
        try {
            javalin.start(host, port);
        } catch (RuntimeException e) {
            clientLane.shutdownNow();
            throw bindFailure(host, port, e);
        }
        return new ApiServer(javalin, host, api, clientLane);
    }

    /** Starts answering: until now every API request was answered 503. */
    public void start(FleetQueries fleet) {
        start(fleet, OperatorServices.none());
    }

    public void start(FleetQueries fleet, OperatorServices services) {
        api.serve(fleet, services);
    }

    private static StartupException bindFailure(String host, int port, RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return new StartupException("HTTP port " + port + " on " + host + " is in use or not available (" + cause.getMessage() + ")");
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new StartupException("cannot open the HTTP API on " + host + ":" + port + ": " + root.getMessage(), e);
    }

    private static QueuedThreadPool serverThreads() {
        QueuedThreadPool threads = new QueuedThreadPool(SERVER_THREADS, 4);
        threads.setName("http");
        threads.setDaemon(true);
        return threads;
    }

    private static ExecutorService clientLane() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(CLIENT_LANE_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "http-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The route table as Javalin has it: method and path template of every endpoint. */
    java.util.List<String> routes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(handler -> handler.endpoint.method + " " + handler.endpoint.path)
                .toList();
    }

    public int port() {
        return javalin.port();
    }

    public String address() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public void stop() {
        javalin.stop();
        clientLane.shutdownNow();
    }
}
