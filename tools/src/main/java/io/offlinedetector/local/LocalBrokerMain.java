package io.offlinedetector.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Main class of the broker JVM that {@link LocalBroker} starts: watches the parent process, formats
 * the storage and runs Kafka's own {@code kafka.Kafka}, as {@code kafka-storage.sh format} and
 * {@code kafka-server-start.sh} would.
 *
 * <p>Arguments: {@code <parent pid> <server.properties> <cluster id>}.
 *
 * <p>Two things keep the broker from outliving or undercutting its parent:
 * <ul>
 *   <li>When the parent exits for any reason, including {@code kill -9}, the broker shuts down
 *       (and halts if that takes more than a minute).
 *   <li>SIGINT is ignored. Ctrl-C in a terminal reaches every process of the foreground group, and
 *       the parent must be able to stop its detector while the broker still serves it, then stop
 *       the broker itself (SIGTERM).
 * </ul>
 */
public final class LocalBrokerMain {

    private static final long HALT_AFTER_MS = 60_000;

    private LocalBrokerMain() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: LocalBrokerMain <parent pid> <server.properties> <cluster id>");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        String properties = args[1];
        String clusterId = args[2];
        watchParent(parentPid);
        ignoreSigint();
        format(properties, clusterId);
        kafka.Kafka.main(new String[] {properties});
    }

    /** {@code kafka-storage.sh format}; a directory formatted by an earlier run is kept as it is. */
    private static void format(String properties, String clusterId) {
        int status;
        try {
            status = kafka.tools.StorageTool.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", properties, "--ignore-formatted"}, System.out);
        } catch (Exception e) {
            System.err.println("LocalBrokerMain: formatting the storage failed: " + e);
            status = 1;
        }
        if (status != 0) {
            System.err.println("LocalBrokerMain: formatting the storage failed with status " + status);
            System.exit(1);
        }
    }

    private static void watchParent(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            stop("parent process " + parentPid + " is gone");
        } else {
            parent.get().onExit().thenRun(() -> stop("parent process " + parentPid + " exited"));
        }
    }

    /** Shuts down through the shutdown hooks (Kafka's stops the server cleanly), halting if they hang. */
    private static void stop(String why) {
        System.err.println("LocalBrokerMain: " + why + "; stopping the broker");
        new Timer("halt-if-stuck", true).schedule(new TimerTask() {
            @Override
            public void run() {
                System.err.println("LocalBrokerMain: the broker did not stop within " + HALT_AFTER_MS / 1000 + " s; halting");
                Runtime.getRuntime().halt(1);
            }
        }, HALT_AFTER_MS);
        System.exit(0);
    }

    /**
     * Installs a SIGINT handler that does nothing, through {@code sun.misc.Signal} by reflection as
     * Kafka's own {@code LoggingSignalHandler} does. Kafka's handler, installed later, logs the
     * signal and then calls this one, so the broker keeps running.
     */
    private static void ignoreSigint() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("INT");
            InvocationHandler ignore = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    System.err.println("LocalBrokerMain: SIGINT ignored; the parent process stops this broker");
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "ignore-SIGINT";
                default -> null;
            };
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, ignore);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("LocalBrokerMain: cannot ignore SIGINT (" + e + "); Ctrl-C also stops the broker directly");
        }
    }
}
