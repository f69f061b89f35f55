package io.offlinedetector.config;

/**
 * A command cannot start, or cannot go on, as asked: bad configuration or options, a port that is
 * in use or cannot be bound, a Kafka that cannot be reached in time or refuses (authentication,
 * topics that disagree), a local broker that will not start. The command stops; the message is the
 * one line the user sees ({@code offline-detector: <message>}), and the exit status is 2
 * ({@code Main.CONFIG_ERROR}), without a stack trace.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
