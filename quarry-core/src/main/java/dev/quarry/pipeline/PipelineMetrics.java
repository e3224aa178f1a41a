package dev.quarry.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An indexing run's Micrometer meters. Counters and timers are cumulative over every run recorded
 * into the same registry (what a scraper expects); the gauges of one run's queues are removed when
 * the run ends, so a long-lived registry does not collect dead runs.
 *
 * <p>Meters, all prefixed {@code quarry.index.}: {@code files} (tag {@code outcome}), {@code
 * chunks} (tag {@code kind}: written, embedded, reused), {@code bytes.read}, {@code stage} (timer
 * per item, tag {@code stage}), {@code embed.batch} (timer per model call), {@code commit} (timer),
 * {@code runs} (timer), {@code queue.items} and {@code queue.bytes} (gauges, tag {@code queue}),
 * {@code embed.backlog} (gauge: chunks waiting for vectors).
 */
final class PipelineMetrics implements AutoCloseable {
  static final String PREFIX = "quarry.index.";

  private final MeterRegistry registry;
  private final Map<Outcome, Counter> files = new EnumMap<>(Outcome.class);
  private final Counter chunksWritten;
  private final Counter chunksEmbedded;
  private final Counter chunksReused;
  private final Counter bytesRead;
  private final Timer embedBatch;
  private final Timer commit;
  private final Timer runs;
  private final List<Meter> runGauges = new ArrayList<>();

  private enum Outcome {
    INDEXED,
    UNCHANGED,
    DELETED,
    SKIPPED,
    FAILED
  }

  PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Outcome o : Outcome.values()) {
      files.put(
          o,
          Counter.builder(PREFIX + "files")
              .description("files by outcome")
              .tag("outcome", o.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    chunksWritten = chunks("written");
    chunksEmbedded = chunks("embedded");
    chunksReused = chunks("reused");
    bytesRead =
        Counter.builder(PREFIX + "bytes.read")
            .baseUnit("bytes")
            .description("file content read")
            .register(registry);
    embedBatch =
        Timer.builder(PREFIX + "embed.batch")
            .description("one call to the embedding model")
            .register(registry);
    commit = Timer.builder(PREFIX + "commit").description("one Lucene commit").register(registry);
    runs = Timer.builder(PREFIX + "runs").description("whole indexing runs").register(registry);
  }

  private Counter chunks(String kind) {
    return Counter.builder(PREFIX + "chunks")
        .description("chunks by what happened to them")
        .tag("kind", kind)
        .register(registry);
  }

  /** A per-item timer for a stage, fed by its {@link StageMeter}. */
  Timer stageTimer(String stage) {
    return Timer.builder(PREFIX + "stage")
        .description("time one item kept a stage busy")
        .tag("stage", stage)
        .register(registry);
  }

  /** Gauges over a queue of this run, removed by {@link #close}. */
  void watchQueue(String name, BoundedQueue<?> queue) {
    runGauges.add(
        Gauge.builder(PREFIX + "queue.items", queue, BoundedQueue::size)
            .tag("queue", name)
            .description("items waiting in a pipeline queue")
            .register(registry));
    runGauges.add(
        Gauge.builder(PREFIX + "queue.bytes", queue, BoundedQueue::bytes)
            .tag("queue", name)
            .baseUnit("bytes")
            .description("bytes waiting in a pipeline queue")
            .register(registry));
  }

  /**
   * A gauge of the chunks written without vectors and not yet embedded, removed by {@link #close}.
   */
  void watchBacklog(Supplier<Number> backlog) {
    runGauges.add(
        Gauge.builder(PREFIX + "embed.backlog", backlog)
            .description("chunks waiting for vectors")
            .register(registry));
  }

  void outcome(FileOutcome outcome) {
    Outcome o =
        switch (outcome) {
          case FileOutcome.Indexed i -> Outcome.INDEXED;
          case FileOutcome.Unchanged u -> Outcome.UNCHANGED;
          case FileOutcome.Deleted d -> Outcome.DELETED;
          case FileOutcome.Skipped s -> Outcome.SKIPPED;
          case FileOutcome.Failed f -> Outcome.FAILED;
        };
    files.get(o).increment();
  }

  void chunks(int written, int reused) {
    chunksWritten.increment(written);
    chunksReused.increment(reused);
  }

  void embedded(int count, long nanos) {
    chunksEmbedded.increment(count);
    embedBatch.record(nanos, TimeUnit.NANOSECONDS);
  }

  void bytesRead(long bytes) {
    bytesRead.increment(bytes);
  }

  void committed(long nanos) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
  }

  void runEnded(long nanos) {
    runs.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    runGauges.forEach(registry::remove);
    runGauges.clear();
  }
}
