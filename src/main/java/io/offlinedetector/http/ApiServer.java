package io.offlinedetector.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.offlinedetector.config.StartupException;
import io.offlinedetector.query.FleetQueries;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's built-in HTTP server: no framework needed for a handful of routes. Long-lived
 * responses (the live feed) are written by threads of their own, never by the request threads. The port is
 * bound first (so that port 0 resolves and a taken port stops start-up early), then the routes are
 * attached once the query side exists.
 */
public final class ApiServer {

    /** Threads of each lane (see {@link RequestLanes}): the server's own, and the clients'. */
    private static final int THREADS = 8;
    /**
     * By default the JDK server waits without limit for the rest of a request, and each wait holds
     * one of the {@value #THREADS} HTTP threads: a handful of clients that send half a request would
     * stall the API. Unless the operator set it, a request must arrive within this many seconds. The
     * JDK reads the property once, when the first server in the JVM is created.
     */
    private static final String MAX_REQUEST_SECONDS = "30";

    static {
        // The JDK server writes a response's headers and body in two writes; without TCP_NODELAY,
        // Nagle's algorithm holds the body until the client's delayed ACK, about 40 ms per request
        // (measured: 49 ms without, 5 ms with), and a forwarded lookup pays it twice. The server
        // reads this once, when the first one starts; a value given with -D is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private ExecutorService executor;
    private ExecutorService clientLane;

    private ApiServer(HttpServer server) {
        this.server = server;
    }

    /** @throws StartupException when the address cannot be bound, for example the port is in use */
    public static ApiServer bind(String host, int port) {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        try {
            return new ApiServer(HttpServer.create(new InetSocketAddress(host, port), 128));
        } catch (BindException e) {
            throw new StartupException("HTTP port " + port + " on " + host + " is in use or not available (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new StartupException("cannot open the HTTP API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public void start(FleetQueries fleet) {
        start(fleet, Operations.none());
    }

    public void start(FleetQueries fleet, Operations operations) {
        executor = threads("http-");
        clientLane = threads("http-client-");
        Router router = new Router(RequestTimer.timed(new HttpApi(fleet, operations).routes(), operations.timer()), new ObjectMapper());
        server.createContext("/", new RequestLanes(router, clientLane));
        server.setExecutor(executor);
        server.start();
    }

    private static ExecutorService threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    public void stop() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
            clientLane.shutdownNow();
        }
    }
}
