package io.offlinedetector.local;

import io.offlinedetector.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The broker JVM's class path: Kafka's server libraries, which {@code mvn package} copies to
 * {@code target/local-broker} (they are never shaded into the product jar), plus the product jar
 * for {@link LocalBrokerMain}, the Kafka clients and the logger. Both sit beside the jar this
 * class was loaded from, or beside {@code target/classes} when running from an IDE or a test.
 */
final class BrokerClasspath {

    static final String LIBRARY_DIR = "local-broker";
    static final String PRODUCT_JAR = "offline-detector.jar";

    private BrokerClasspath() {}

    /** @throws ConfigException with "run mvn package first" when the libraries or the jar are missing */
    static String locate() {
        CodeSource source = BrokerClasspath.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new ConfigException("cannot tell where offline-detector's classes are loaded from, so cannot find the "
                    + LIBRARY_DIR + " libraries; run the jar built by mvn package");
        }
        try {
            return of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException("cannot find the " + LIBRARY_DIR + " libraries beside " + source.getLocation() + ": " + e.getMessage());
        }
    }

    /** @param codeSource the product jar, or the {@code classes} directory inside {@code target} */
    static String of(Path codeSource) {
        Path base = codeSource.toAbsolutePath().getParent();
        Path productJar = Files.isRegularFile(codeSource) ? codeSource.toAbsolutePath() : base.resolve(PRODUCT_JAR);
        Path libraries = base.resolve(LIBRARY_DIR);
        if (!hasKafkaServer(libraries) || !Files.isRegularFile(productJar)) {
            throw new ConfigException("the local Kafka broker needs " + libraries + " and " + productJar + "; run mvn package first");
        }
        return libraries + File.separator + "*" + File.pathSeparator + productJar;
    }

    private static boolean hasKafkaServer(Path libraries) {
        if (!Files.isDirectory(libraries)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(libraries, "kafka_2.13-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
