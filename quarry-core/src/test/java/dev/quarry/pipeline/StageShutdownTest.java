package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run ends when a stage fails while others are busy. */
class StageShutdownTest {
  @TempDir Path root;
  @TempDir Path indexDir;

  // Issue 11, item 4: a store failure while vectors were computed only interrupted the embedder;
  // the model was closed under a running OrtSession.run and the JVM died of SIGSEGV (exit 134).
  // Here the model, like a native call, ignores interrupts for a while: the run must not return
  // (and so let its caller close the model) before the model call has.
  @Test
  @Tag("hostile")
  void aFailingRunReturnsOnlyOnceNoStageIsInsideTheModel() throws Exception {
    Files.writeString(root.resolve("a.txt"), "Rockets need fuel and a steady hand.\n");
    Files.writeString(root.resolve("b-empty.txt"), ""); // skipped: its outcome comes at once
    PipelineFixture fixture = new PipelineFixture(root, indexDir);
    fixture.workers = 1;
    fixture.scan = fixture.scan.withParallelism(1);
    CountDownLatch modelEntered = new CountDownLatch(1);
    AtomicBoolean insideModel = new AtomicBoolean();
    fixture.modelWrapper =
        model ->
            new InterceptedModel(
                model,
                (inner, texts) -> {
                  insideModel.set(true);
                  modelEntered.countDown();
                  try {
                    spinFor(TimeUnit.SECONDS.toNanos(2)); // as a native call: interrupts or not
                    return inner.embed(texts);
                  } finally {
                    insideModel.set(false);
                  }
                });
    fixture.onOutcome =
        outcome -> {
          if (outcome.path().equals("b-empty.txt")) {
            // The model has a.txt (handed over first): fail once it is inside the model.
            awaitQuietly(modelEntered);
            throw new IllegalStateException("simulated store failure: No space left on device");
          }
        };

    assertThatThrownBy(fixture::run).hasMessageContaining("No space left on device");

    assertThat(modelEntered.getCount()).as("the failure came while the model was busy").isZero();
    assertThat(insideModel).as("a stage was still inside the model").isFalse();
  }

  // Issue 11 (found while probing item 1): the embedder called the model once with every chunk a
  // batch of files owed, so a stop request waited for a 50 MB log's 100,000 chunks (half an hour).
  @Test
  @Tag("hostile")
  void aStopRequestIsSeenBetweenModelCallsWithinOneLargeFile() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 3_000; i++) {
      text.append("Line ").append(i).append(" of a long log about engines and fuel.\n");
    }
    Files.writeString(root.resolve("large.log"), text);
    PipelineFixture fixture = new PipelineFixture(root, indexDir);
    fixture.batchSize = 4; // the model gets at most 32 inputs a call
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    fixture.modelWrapper =
        model ->
            new InterceptedModel(
                model,
                (inner, texts) -> {
                  assertThat(texts).hasSizeLessThanOrEqualTo(32);
                  if (calls.incrementAndGet() == 2) {
                    fixture.current.cancel();
                  }
                  return inner.embed(texts);
                });

    PipelineFixture.Result result = fixture.run();

    assertThat(result.summary().status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(calls).as("model calls after the stop request").hasValueLessThanOrEqualTo(2);
    // Left as text, its vectors owed to the next run; those computed are in the cache for it.
    assertThat(result.outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            FileOutcome.Indexed.class,
            indexed -> {
              assertThat(indexed.path()).isEqualTo("large.log");
              assertThat(indexed.chunks()).isGreaterThan(100);
              assertThat(indexed.embedded()).isZero();
            });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void spinFor(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /** A model whose calls go through {@code call}, given the texts and the model itself. */
  private record InterceptedModel(
      EmbeddingModel model, BiFunction<EmbeddingModel, List<String>, List<float[]>> call)
      implements EmbeddingModel {
    @Override
    public ModelIdentity identity() {
      return model.identity();
    }

    @Override
    public Tokenizer tokenizer() {
      return model.tokenizer();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return call.apply(model, texts);
    }

    @Override
    public void close() {}
  }
}
