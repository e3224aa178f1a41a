package dev.quarry.serve;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The real model behind a gate the test opens: each call counts as started, then waits for a
 * permit, so a test can hold the model busy and see what the server does meanwhile. Records the
 * texts it embedded.
 */
final class GatedModel implements EmbeddingModel {
  private final EmbeddingModel real;
  private final Semaphore gate = new Semaphore(0);
  final AtomicInteger started = new AtomicInteger();
  final Queue<String> embedded = new ConcurrentLinkedQueue<>();

  GatedModel(EmbeddingModel real) {
    this.real = real;
  }

  /** Lets {@code calls} more calls through. */
  void open(int calls) {
    gate.release(calls);
  }

  @Override
  public ModelIdentity identity() {
    return real.identity();
  }

  @Override
  public Tokenizer tokenizer() {
    return real.tokenizer();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    started.incrementAndGet();
    try {
      if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    embedded.addAll(texts);
    return real.embed(texts);
  }

  @Override
  public void close() {}

  /** Polls {@code condition} until it holds, up to {@code limit}. */
  static void await(String what, BooleanSupplier condition, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(10);
    }
  }
}
