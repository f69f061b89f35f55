package io.offlinedetector.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A process that starts a {@link LocalBroker} and then waits to be killed, for {@link LocalBrokerIT}. */
final class BrokerParent {

    static final String READY = "READY broker pid ";

    private BrokerParent() {}

    public static void main(String[] args) throws InterruptedException {
        LocalBroker broker = LocalBroker.start(Path.of(args[0]), 0);
        System.out.println(READY + broker.process().pid());
        System.out.flush();
        // Bounded: the test kills this process long before.
        new CountDownLatch(1).await(5, TimeUnit.MINUTES);
        broker.close();
    }
}
