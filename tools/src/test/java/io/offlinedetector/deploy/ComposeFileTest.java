package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.offlinedetector.Main;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this reads it and checks it against
 * what the jar actually reads: every {@code OD_*} variable is a setting, the detectors' own
 * configuration loads with the real {@link ConfigLoader}, advertised URLs name the services, and
 * the Kafka nodes form one quorum on the version of Kafka the jar carries.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final List<String> KAFKA = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> DETECTORS = List.of("detector-1", "detector-2", "detector-3");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE, StandardCharsets.UTF_8)) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void describesThreeKafkaNodesThreeDetectorsAndTheSimulator() {
        assertThat(services.keySet()).containsAll(KAFKA).containsAll(DETECTORS).contains("simulator", "topics");
    }

    @Test
    void kafkaNodesRunThePinnedKafkaVersionOfTheJarAsOneQuorum() {
        Set<String> nodeIds = new HashSet<>();
        for (String node : KAFKA) {
            assertThat(services.get(node).get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
            Map<String, String> env = env(node);
            nodeIds.add(env.get("KAFKA_NODE_ID"));
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).as("%s advertises itself by its service name", node)
                    .contains("PLAINTEXT://" + node + ":9092");
            String voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS");
            assertThat(voters).as("quorum of %s", node)
                    .isEqualTo(KAFKA.stream().map(n -> env(n).get("KAFKA_NODE_ID") + "@" + n + ":9093").collect(Collectors.joining(",")));
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo("3");
            assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        }
        assertThat(nodeIds).hasSize(3);
    }

    @Test
    void everyOdVariableIsASettingTheJarReads() {
        Set<String> known = Arrays.stream(Setting.values()).map(Setting::env).collect(Collectors.toSet());
        known.add("OD_CONFIG");
        for (String service : services.keySet()) {
            for (String name : env(service).keySet()) {
                if (name.startsWith("OD_")) {
                    assertThat(known).as("%s of service %s", name, service).contains(name);
                }
            }
        }
    }

    @Test
    void detectorsLoadTheirConfigurationWithTheRealLoader() {
        for (String detector : DETECTORS) {
            DetectorConfig config = config(detector);
            assertThat(config.applicationId()).as("one application for all instances").isEqualTo(config(DETECTORS.get(0)).applicationId());
            assertThat(config.httpBind()).as("reachable from the other containers").isEqualTo("0.0.0.0");
            assertThat(config.standbyReplicas()).isEqualTo(1);
            assertThat(config.kafka()).containsEntry("session.timeout.ms", "6000");
        }
    }

    @Test
    void advertisedUrlsNameTheServiceAndThePortItListensOn() {
        Set<URI> urls = new HashSet<>();
        for (String detector : DETECTORS) {
            DetectorConfig config = config(detector);
            URI advertised = config.advertisedUrl();
            assertThat(advertised.getHost()).isEqualTo(detector);
            assertThat(advertised.getPort()).isEqualTo(config.httpPort());
            urls.add(advertised);
            List<String> ports = ports(detector);
            assertThat(ports).as("ports of %s", detector).hasSize(1);
            assertThat(ports.get(0)).as("host port on loopback, mapped to the HTTP port").matches("127\\.0\\.0\\.1:\\d+:" + config.httpPort());
        }
        assertThat(urls).hasSize(3);
        assertThat(DETECTORS.stream().map(d -> ports(d).get(0).split(":")[1]).distinct()).hasSize(3);
    }

    @Test
    void everyBootstrapServerIsAKafkaServiceOnItsInternalListener() {
        for (String service : services.keySet()) {
            String bootstrap = env(service).get("OD_BOOTSTRAP_SERVERS");
            if (bootstrap == null) {
                continue;
            }
            assertThat(Arrays.asList(bootstrap.split(","))).as("bootstrap servers of %s", service)
                    .containsExactlyInAnyOrderElementsOf(KAFKA.stream().map(n -> n + ":9092").toList());
        }
    }

    @Test
    void theStateDirectoryIsOnAVolumeSoThatItOutlivesTheContainer() {
        for (String detector : DETECTORS) {
            Path stateDir = config(detector).stateDir();
            assertThat(volumes(detector)).as("volumes of %s", detector)
                    .anySatisfy(volume -> assertThat(stateDir.startsWith(Path.of(volume.split(":")[1]))).isTrue());
        }
    }

    @Test
    void otherServicesRunCommandsOfTheJarWithOptionsItAccepts() {
        for (String service : List.of("simulator", "topics")) {
            List<String> command = command(service);
            assertDoesNotThrow(() -> Main.commandLine().parseArgs(command.toArray(String[]::new)), service + ": " + command);
        }
        assertThat(command("simulator").get(0)).isEqualTo("simulate");
    }

    @Test
    void theImageIsBuiltFromTheDockerfileAndRunsTheJar() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("offline-detector.jar").contains("ENTRYPOINT").contains("CMD [\"run\"]");
        for (String detector : DETECTORS) {
            assertThat(services.get(detector).get("build")).isEqualTo(".");
        }
    }

    /** The detector's configuration as the jar would load it inside its container. */
    private static DetectorConfig config(String detector) {
        Map<String, String> env = new LinkedHashMap<>(env(detector));
        String configFile = env.remove("OD_CONFIG");
        Path local = null;
        if (configFile != null) {
            // The file the container sees is a file of this repository, mounted read-only.
            local = volumes(detector).stream()
                    .map(volume -> volume.split(":"))
                    .filter(parts -> parts[1].equals(configFile))
                    .map(parts -> Path.of(parts[0]))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("OD_CONFIG of " + detector + " is not a mounted file: " + configFile));
            assertThat(local).exists();
        }
        return ConfigLoader.load(Map.of(), Map.of(), env, local);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((name, value) -> env.put(name.toString(), value == null ? null : value.toString()));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = entry.toString().split("=", 2);
                env.put(parts[0], parts.length > 1 ? parts[1] : null);
            }
        }
        return env;
    }

    private static List<String> ports(String service) {
        return strings(services.get(service).get("ports"));
    }

    private static List<String> volumes(String service) {
        return strings(services.get(service).get("volumes"));
    }

    private static List<String> command(String service) {
        return strings(services.get(service).get("command"));
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> strings.add(item.toString()));
        }
        return strings;
    }
}
