package io.offlinedetector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The connection options of the commands that talk to the detector's cluster beside {@code run}. */
class KafkaConnectionTest {

    /** The product's; the tools' {@code simulate} is checked in its own module (ToolsMainTest). */
    private static final List<String> KAFKA_COMMANDS = List.of("topics", "watch");

    @Test
    void everyCommandThatTalksToKafkaTakesTheSameConnectionOptions() {
        CommandLine commandLine = Main.commandLine();
        for (String name : KAFKA_COMMANDS) {
            CommandSpec spec = commandLine.getSubcommands().get(name).getCommandSpec();
            assertThat(spec.mixins()).as(name).containsKey("kafka");
            assertThat(spec.mixins().get("kafka").userObject()).as(name).isInstanceOf(KafkaConnection.class);
            assertThat(spec.findOption("--bootstrap-servers")).as(name).isNotNull();
            assertThat(spec.findOption("--config")).as(name).isNotNull();
        }
    }

    @Test
    void theFlagBeatsTheFilesBootstrapServersAndTheFilesClientSettingsCome(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("detector.properties"), "bootstrap.servers=from-file:9092\nsecurity.protocol=SSL\n");
        CommandLine commandLine = Main.commandLine();
        commandLine.parseArgs("topics", "--config", file.toString(), "--bootstrap-servers", "from-flag:9092");
        KafkaConnection kafka = (KafkaConnection) commandLine.getSubcommands().get("topics").getCommandSpec().mixins().get("kafka").userObject();

        assertThat(kafka.load().bootstrapServers()).isEqualTo("from-flag:9092");
        assertThat(kafka.load().kafka()).containsEntry("security.protocol", "SSL");
    }
}
