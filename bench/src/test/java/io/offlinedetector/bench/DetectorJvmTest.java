package io.offlinedetector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DetectorJvmTest {

    @Test
    void theHeapSizeIsSpelledAsXmxTakesIt() {
        assertThat(DetectorJvm.heapSize(384L << 20)).isEqualTo("384m");
        assertThat(DetectorJvm.heapSize(2L << 30)).isEqualTo("2g");
        assertThat(DetectorJvm.heapSize(1536L << 10)).isEqualTo("1536k");
        assertThat(DetectorJvm.heapSize(1000)).isEqualTo("1000");
    }

    @Test
    void theInstancesRunTheProductJarOfTheSameCheckout() {
        Path root = Path.of("/checkout");

        assertThat(DetectorJvm.besideModule(root.resolve("bench/target/offline-detector-bench.jar")))
                .isEqualTo(root.resolve("detector/target/offline-detector.jar"));
        assertThat(DetectorJvm.besideModule(root.resolve("bench/target/classes")))
                .isEqualTo(root.resolve("detector/target/offline-detector.jar"));
    }
}
