package io.offlinedetector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The product jar's commands; the simulator, the local demo and the bench are in jars of their own. */
class MainTest {

    @Test
    void theProductOffersRunTopicsAndWatchOnly() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactly("run", "topics", "watch");
    }
}
