package io.offlinedetector.local;

import io.offlinedetector.config.StartupException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;

/**
 * The broker JVM's class path: Kafka's server libraries, which {@code mvn package} copies to
 * {@code target/local-broker} of the tools module (they are never shaded into a jar), plus the
 * runnable jar this class was loaded from, for {@link LocalBrokerMain}, the Kafka clients and the
 * logger. Both sit beside that jar ({@code tools/target/offline-detector-tools.jar}, or the bench's
 * jar, which carries the tools and has its own {@code local-broker}), or beside {@code target/classes}
 * when running from an IDE or a test, where the tools jar is taken.
 */
final class BrokerClasspath {

    static final String LIBRARY_DIR = "local-broker";
    static final String TOOLS_JAR = "offline-detector-tools.jar";

    private BrokerClasspath() {}

    /** @throws StartupException with "run mvn package first" when the libraries or the jar are missing */
    static String locate() {
        CodeSource source = BrokerClasspath.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new StartupException("cannot tell where offline-detector's classes are loaded from, so cannot find the "
                    + LIBRARY_DIR + " libraries; run the jar built by mvn package");
        }
        try {
            return of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StartupException("cannot find the " + LIBRARY_DIR + " libraries beside " + source.getLocation() + ": " + e.getMessage());
        }
    }

    /** @param codeSource a runnable jar, or the {@code classes} directory inside {@code target} */
    static String of(Path codeSource) {
        Path base = codeSource.toAbsolutePath().getParent();
        Path jar = Files.isRegularFile(codeSource) ? codeSource.toAbsolutePath() : base.resolve(TOOLS_JAR);
        Path libraries = base.resolve(LIBRARY_DIR);
        if (!hasKafkaServer(libraries) || !Files.isRegularFile(jar)) {
            throw new StartupException("the local Kafka broker needs " + libraries + " and " + jar + "; run mvn package first");
        }
        return libraries + File.separator + "*" + File.pathSeparator + jar;
    }

    /**
     * Copies the runnable jar named in {@code classpath} into {@code dir} and returns the class path
     * with the copy. The broker JVM reads its classes lazily, so a jar rebuilt under a running broker
     * (another {@code mvn package}) would break it; the copy is the broker's own.
     */
    static String privateCopy(String classpath, Path dir) {
        int split = classpath.lastIndexOf(File.pathSeparator);
        Path jar = Path.of(classpath.substring(split + 1));
        Path copy = dir.resolve(jar.getFileName());
        try {
            Files.createDirectories(dir);
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StartupException("cannot copy " + jar + " for the local broker to " + dir + ": " + e.getMessage(), e);
        }
        return classpath.substring(0, split + 1) + copy;
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
