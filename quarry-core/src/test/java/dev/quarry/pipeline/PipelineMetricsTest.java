package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Micrometer meters of a run agree with its summary, and a run leaves no gauges behind. */
class PipelineMetricsTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void metersCountWhatTheRunDidAcrossRuns() throws Exception {
    Files.writeString(tree.resolve("a.md"), "# Alpha\n\nrivers carry stones downstream\n");
    Files.writeString(tree.resolve("b.txt"), "quarry stone is cut in blocks\n");
    Files.writeString(tree.resolve("copy.txt"), "quarry stone is cut in blocks\n");
    Files.write(tree.resolve("blob.txt"), new byte[] {0, 1, 2, 0, 3, 0});
    PipelineFixture fixture = new PipelineFixture(tree, indexDir);

    RunSummary first = fixture.run().summary();
    Files.delete(tree.resolve("copy.txt"));
    Files.writeString(tree.resolve("b.txt"), "quarry stone is cut in large blocks\n");
    RunSummary second = fixture.run().summary();

    MeterRegistry registry = fixture.registry;
    assertThat(files(registry, "indexed"))
        .isEqualTo(first.filesIndexed() + second.filesIndexed())
        .isEqualTo(4);
    assertThat(files(registry, "unchanged")).isEqualTo(1);
    assertThat(files(registry, "deleted")).isEqualTo(1);
    assertThat(files(registry, "skipped")).isEqualTo(2); // the binary blob, in both runs
    assertThat(chunks(registry, "embedded"))
        .isEqualTo(first.chunksEmbedded() + second.chunksEmbedded());
    assertThat(chunks(registry, "reused"))
        .isEqualTo(first.chunksReused() + second.chunksReused())
        .isPositive();
    assertThat(registry.get("quarry.index.bytes.read").counter().count())
        .isEqualTo(first.bytesRead() + second.bytesRead());
    assertThat(registry.get("quarry.index.runs").timer().count()).isEqualTo(2);
    assertThat(registry.get("quarry.index.commit").timer().count()).isGreaterThanOrEqualTo(4);
    assertThat(registry.get("quarry.index.embed.batch").timer().count()).isPositive();
    assertThat(registry.get("quarry.index.stage").tag("stage", "work").timer().count())
        .isEqualTo(7);
    assertThat(registry.find("quarry.index.queue.items").gauges())
        .as("a run's gauges go with it")
        .isEmpty();
    assertThat(registry.find("quarry.index.embed.backlog").gauges()).isEmpty();
  }

  private static double files(MeterRegistry registry, String outcome) {
    return registry.get("quarry.index.files").tag("outcome", outcome).counter().count();
  }

  private static double chunks(MeterRegistry registry, String kind) {
    return registry.get("quarry.index.chunks").tag("kind", kind).counter().count();
  }
}
