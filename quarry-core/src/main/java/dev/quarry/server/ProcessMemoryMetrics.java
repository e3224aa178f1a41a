package dev.quarry.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident and virtual memory, from {@code /proc/self/status} (Linux): Micrometer's
 * binders show the JVM's heap and buffers, not what the operating system charges the process (the
 * model's native memory, mapped index files). {@code process.resident.memory} and {@code
 * process.virtual.memory}, in bytes, as Prometheus's own clients name them; absent where there is
 * no {@code /proc}. Read when scraped (a small file, microseconds).
 */
final class ProcessMemoryMetrics implements MeterBinder {
  private final Path status;

  ProcessMemoryMetrics() {
    this(Path.of("/proc/self/status"));
  }

  ProcessMemoryMetrics(Path status) {
    this.status = status;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (!Files.isReadable(status)) {
      return;
    }
    Gauge.builder("process.resident.memory", this, m -> m.kibibytes("VmRSS:") * 1024.0)
        .strongReference(true) // nothing else keeps this binder
        .baseUnit("bytes")
        .description("resident set size: memory the process holds in RAM")
        .register(registry);
    Gauge.builder("process.virtual.memory", this, m -> m.kibibytes("VmSize:") * 1024.0)
        .strongReference(true)
        .baseUnit("bytes")
        .description("virtual memory size of the process")
        .register(registry);
  }

  /** The value of a "{@code Field: 1234 kB}" line; NaN when it cannot be read. */
  double kibibytes(String field) {
    try {
      List<String> lines = Files.readAllLines(status);
      for (String line : lines) {
        if (line.startsWith(field)) {
          String[] parts = line.substring(field.length()).strip().split("\\s+");
          return Double.parseDouble(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // NaN: Prometheus shows the gauge as unknown rather than as a wrong number.
    }
    return Double.NaN;
  }
}
