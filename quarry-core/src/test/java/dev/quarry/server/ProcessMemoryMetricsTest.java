package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryMetricsTest {
  @TempDir Path tmp;

  @Test
  void readsResidentAndVirtualSizeFromAProcStatusFile() throws Exception {
    Path status = tmp.resolve("status");
    Files.writeString(
        status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmSize:\t  4096 kB\nVmRSS:\t    1024 kB\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ProcessMemoryMetrics(status).bindTo(registry);

    assertThat(registry.get("process.resident.memory").gauge().value()).isEqualTo(1024 * 1024.0);
    assertThat(registry.get("process.virtual.memory").gauge().value()).isEqualTo(4096 * 1024.0);
  }

  @Test
  void withoutProcThereAreNoGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ProcessMemoryMetrics(tmp.resolve("no-such-file")).bindTo(registry);

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aFieldThatIsMissingReadsAsUnknownNotZero() throws Exception {
    Path status = tmp.resolve("status");
    Files.writeString(status, "Name:\tjava\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    new ProcessMemoryMetrics(status).bindTo(registry);

    assertThat(registry.get("process.resident.memory").gauge().value()).isNaN();
  }
}
