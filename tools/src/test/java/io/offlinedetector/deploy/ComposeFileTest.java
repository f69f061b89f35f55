package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.offlinedetector.Main;
import io.offlinedetector.config.ConfigLoader;
import io.offlinedetector.config.DetectorConfig;
import io.offlinedetector.config.Setting;
import io.offlinedetector.tools.ToolsMain;
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
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this reads it and checks it against
 * what the jars actually read: every {@code OD_*} variable is a setting, the detectors' own
 * configuration loads with the real {@link ConfigLoader}, advertised URLs name the services, the
 * Kafka nodes form one quorum on the version of Kafka the jars carry, and each service's command is
 * one that the jar of its image accepts. It lives in the tools module because the compose file runs
 * both jars: the product's and the tools' (the simulator).
 */
class ComposeFileTest {

    /** The repository's root, from the tools module where the tests run; the compose file's paths are relative to it. */
    private static final Path ROOT = Path.of("..");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
    /** The Dockerfile's stage for the tools image; the detector's is its last, the default target. */
    private static final String TOOLS_TARGET = "tools";
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
    void otherServicesRunCommandsOfTheirImagesJarWithOptionsItAccepts() {
        for (String service : List.of("simulator", "topics")) {
            List<String> command = command(service);
            Supplier<CommandLine> jar = TOOLS_TARGET.equals(buildTarget(service)) ? ToolsMain::commandLine : Main::commandLine;
            assertDoesNotThrow(() -> jar.get().parseArgs(command.toArray(String[]::new)), service + ": " + command);
        }
        assertThat(command("simulator").get(0)).isEqualTo("simulate");
        assertThat(buildTarget("simulator")).as("simulate is in the tools jar only").isEqualTo(TOOLS_TARGET);
        assertThat(buildTarget("topics")).as("topics is the product's").isNull();
    }

    @Test
    void theImagesAreBuiltFromTheDockerfileTheDetectorsRunningTheProductJarAlone() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        List<String> stages = Pattern.compile("(?m)^FROM ").splitAsStream(dockerfile).skip(1).toList();
        String detectorStage = stages.get(stages.size() - 1);
        assertThat(detectorStage).as("the default target, the last stage")
                .contains("offline-detector.jar").contains("ENTRYPOINT").contains("CMD [\"run\"]")
                .doesNotContain("offline-detector-tools.jar").doesNotContain("offline-detector-bench.jar");
        assertThat(stages.stream().filter(stage -> stage.lines().findFirst().orElseThrow().endsWith(" AS " + TOOLS_TARGET)))
                .as("the stage named %s", TOOLS_TARGET)
                .singleElement().asString().contains("offline-detector-tools.jar").doesNotContain("offline-detector.jar");
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
                    .map(parts -> ROOT.resolve(parts[0]))
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

    /** The Dockerfile stage a service's image is built from, or null for the default one (the last). */
    private static String buildTarget(String service) {
        Object build = services.get(service).get("build");
        if (build instanceof Map<?, ?> map) {
            assertThat(map.get("context")).as("build context of %s", service).isEqualTo(".");
            Object target = map.get("target");
            return target == null ? null : target.toString();
        }
        assertThat(build).as("build of %s", service).isEqualTo(".");
        return null;
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
