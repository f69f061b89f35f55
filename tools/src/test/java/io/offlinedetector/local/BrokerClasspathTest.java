package io.offlinedetector.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.offlinedetector.config.StartupException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTest {

    @TempDir
    Path target;

    @Test
    void findsTheLibrariesBesideTheJar() throws IOException {
        Path jar = Files.createFile(target.resolve(BrokerClasspath.TOOLS_JAR));
        Files.createDirectories(target.resolve("local-broker"));
        Files.createFile(target.resolve("local-broker/kafka_2.13-4.3.1.jar"));

        assertEquals(target.resolve("local-broker") + File.separator + "*" + File.pathSeparator + jar, BrokerClasspath.of(jar));
    }

    @Test
    void findsTheJarAndLibrariesBesideTheClassesDirectory() throws IOException {
        Path classes = Files.createDirectories(target.resolve("classes"));
        Path jar = Files.createFile(target.resolve(BrokerClasspath.TOOLS_JAR));
        Files.createDirectories(target.resolve("local-broker"));
        Files.createFile(target.resolve("local-broker/kafka_2.13-4.3.1.jar"));

        assertTrue(BrokerClasspath.of(classes).endsWith(File.pathSeparator + jar));
    }

    @Test
    void saysToBuildFirstWhenTheLibrariesAreMissing() throws IOException {
        Path jar = Files.createFile(target.resolve(BrokerClasspath.TOOLS_JAR));

        StartupException e = assertThrows(StartupException.class, () -> BrokerClasspath.of(jar));

        assertTrue(e.getMessage().contains("run mvn package first"), e.getMessage());
    }
}
