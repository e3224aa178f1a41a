package dev.quarry.embed.remote;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingException;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.ModelIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link EmbeddingModel} whose vectors come from an OpenAI-compatible {@code /v1/embeddings}
 * endpoint.
 *
 * <p><b>Identity.</b> When the endpoint is a Quarry server ({@code quarry serve --embeddings}) its
 * {@code /v1/models} reports the served model's {@link ModelIdentity}, which this model takes as
 * its own: the vectors are those a local run of that model gives, so indexes (and caches) are
 * shared with local runs. Otherwise the identity is the model name, version {@code remote}, the
 * dimensions of a probe embedding made at open, the configured window, pooling {@code remote}, and
 * normalised: when the probe vector is not of unit length, this client scales every vector to unit
 * length itself (the index compares by dot product, which is cosine only for unit vectors).
 *
 * <p><b>Queries.</b> A shipped model's query prefix ({@link EmbeddingModels#queryPrefixOf}) is put
 * before each query by this client, as the endpoint cannot tell a query from a document.
 *
 * <p><b>Tokenizer.</b> The local tokenizer when the model name is one Quarry ships; otherwise a
 * conservative approximation ({@link ApproximateTokenizer}) that over-counts, so chunks stay inside
 * the window.
 *
 * <p><b>Calls.</b> One {@link #embed} call is cut into requests bounded by text count (an adaptive
 * size, {@link AdaptiveBatchSize}) and approximate tokens, sent up to {@code concurrency} at a time
 * (shared by all callers). Each request is retried with backoff and jitter on timeouts, connection
 * errors, 408 and 5xx; a 429 waits at least its {@code Retry-After}. A {@link CircuitBreaker} fails
 * calls fast while the endpoint keeps failing. Every answer is validated ({@link
 * ResponseValidator}) before any vector is returned; a failure is an {@link EmbeddingException}
 * that names the endpoint, never the API key.
 *
 * <p>Thread-safe.
 */
public final class RemoteEmbeddingModel implements EmbeddingModel {
  /** What a run waits at most on one 429, whatever the server asks: a bound on a stuck run. */
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** A request answered within this keeps growing the batch size. */
  private static final Duration TARGET_LATENCY = Duration.ofSeconds(2);

  private final RemoteOptions options;
  private final EmbeddingsClient client;
  private final ModelIdentity identity;
  private final Tokenizer tokenizer;
  private final CircuitBreaker breaker;
  private final AdaptiveBatchSize batchSize;
  private final Semaphore inFlight;
  private final ExecutorService executor;

  /** Whether this client scales the endpoint's vectors to unit length (they are not already). */
  private final boolean normalize;

  private RemoteEmbeddingModel(
      RemoteOptions options,
      EmbeddingsClient client,
      ModelIdentity identity,
      Tokenizer tokenizer,
      boolean normalize) {
    this.normalize = normalize;
    this.options = options;
    this.client = client;
    this.identity = identity;
    this.tokenizer = tokenizer;
    this.breaker =
        new CircuitBreaker(options.breakerThreshold(), options.breakerCoolDown(), System::nanoTime);
    int start = Math.min(options.maxBatchTexts(), 16);
    this.batchSize = new AdaptiveBatchSize(start, 1, options.maxBatchTexts(), TARGET_LATENCY);
    this.inFlight = new Semaphore(options.concurrency(), true);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
  }

  /**
   * Opens the model {@code model} of the endpoint {@code spec} names; the API key comes from {@code
   * $QUARRY_EMBEDDER_API_KEY}.
   */
  public static RemoteEmbeddingModel open(dev.quarry.embed.EmbedderSpec.OpenAi spec, String model) {
    return open(
        RemoteOptions.of(
                spec.endpoint(), model, ApiKey.fromEnvironment(System.getenv()), spec.maxTokens())
            .withConcurrency(spec.concurrency()));
  }

  /**
   * Connects: asks {@code /v1/models} for a Quarry identity, then embeds a probe text to learn (or
   * check) the dimensions.
   *
   * @throws EmbeddingException when the endpoint cannot be reached or answers wrongly
   */
  public static RemoteEmbeddingModel open(RemoteOptions options) {
    EmbeddingsClient client =
        new EmbeddingsClient(
            options.endpoint(),
            options.model(),
            options.apiKey(),
            Duration.ofSeconds(10),
            options.requestTimeout());
    Optional<ModelIdentity> served;
    try {
      served = client.quarryIdentity();
    } catch (RemoteCallException e) {
      client.close();
      throw new EmbeddingException(e.getMessage(), e);
    }
    // The probe goes through the same retries as any call (the server may be starting).
    RemoteEmbeddingModel prober =
        new RemoteEmbeddingModel(
            options,
            client,
            served.orElse(
                new ModelIdentity(
                    options.model(),
                    "remote",
                    1,
                    Math.max(8, options.maxTokens()),
                    "remote",
                    false)),
            new ApproximateTokenizer(),
            false);
    float[] probe;
    try {
      probe =
          prober
              .call(
                  List.of("Quarry probe: how many dimensions?"),
                  served.map(ModelIdentity::dimensions).orElse(0))[0];
    } catch (RuntimeException e) {
      prober.close();
      throw e;
    }
    prober.executor.shutdownNow(); // its client lives on in the model returned

    // The index compares vectors by dot product, which is cosine only for unit vectors: an
    // endpoint whose vectors are not unit length has them scaled here (cosine order is kept).
    boolean normalize = served.isEmpty() && !isUnitLength(probe);
    ModelIdentity identity =
        served.orElseGet(
            () ->
                new ModelIdentity(
                    options.model(), "remote", probe.length, options.maxTokens(), "remote", true));
    return new RemoteEmbeddingModel(
        options, client, identity, tokenizerFor(identity.name()), normalize);
  }

  private static boolean isUnitLength(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    return Math.abs(Math.sqrt(sum) - 1) < 1e-3;
  }

  private static Tokenizer tokenizerFor(String name) {
    if (EmbeddingModels.available().contains(name.toLowerCase(Locale.ROOT))) {
      return EmbeddingModels.tokenizerOf(name);
    }
    return new ApproximateTokenizer();
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The query's vector. An endpoint embeds every text as a document, so a shipped model's query
   * prefix (bge-small-en-v1.5-q's instruction) is added here: a query sent to a Quarry serving that
   * model gets the vector a local search would use.
   */
  @Override
  public float[] embedQuery(String query) {
    return embed(List.of(EmbeddingModels.queryPrefixOf(identity.name()) + query)).get(0);
  }

  /** The endpoint, as messages name it (no user info, no key). */
  public String endpoint() {
    return client.display();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<List<String>> batches = plan(texts);
    float[][] out = new float[texts.size()][];
    if (batches.size() == 1) {
      float[][] vectors = call(batches.get(0), identity.dimensions());
      return finish(vectors);
    }
    List<Future<float[][]>> futures = new ArrayList<>(batches.size());
    for (List<String> batch : batches) {
      futures.add(executor.submit(() -> call(batch, identity.dimensions())));
    }
    int at = 0;
    try {
      for (Future<float[][]> future : futures) {
        for (float[] vector : future.get()) {
          out[at++] = vector;
        }
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof EmbeddingException ee) {
        throw new EmbeddingException(ee.getMessage(), ee);
      }
      throw new EmbeddingException(
          "embedding through " + endpoint() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while embedding through " + endpoint());
    }
    return finish(out);
  }

  private List<float[]> finish(float[][] vectors) {
    if (normalize) {
      for (float[] v : vectors) {
        double sum = 0;
        for (float f : v) {
          sum += (double) f * f;
        }
        if (sum == 0) {
          throw new EmbeddingException(
              "invalid response from " + endpoint() + ": a zero vector cannot be normalised");
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
          v[i] *= scale;
        }
      }
    }
    return Arrays.asList(vectors);
  }

  /**
   * Cuts {@code texts} into requests: at most the adaptive size, and no more than an even share
   * over {@code concurrency} requests (so one call keeps every allowed request busy), and at most
   * {@code maxBatchTokens} approximate tokens (a single longer text still goes alone).
   */
  List<List<String>> plan(List<String> texts) {
    int share = (texts.size() + options.concurrency() - 1) / options.concurrency();
    int limit = Math.max(1, Math.min(batchSize.current(), share));
    List<List<String>> batches = new ArrayList<>();
    int from = 0;
    long tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      long t = approximateTokens(texts.get(i));
      if (i > from && (i - from >= limit || tokens + t > options.maxBatchTokens())) {
        batches.add(texts.subList(from, i));
        from = i;
        tokens = 0;
      }
      tokens += t;
    }
    batches.add(texts.subList(from, texts.size()));
    return batches;
  }

  /**
   * Three chars a token, as {@link ApproximateTokenizer} counts, plus two special tokens: an
   * over-count.
   */
  private static long approximateTokens(String text) {
    return text.length() / ApproximateTokenizer.PIECE + 3;
  }

  /** One request with retries, within the concurrency bound. */
  private float[][] call(List<String> batch, int dimensions) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while waiting to call " + endpoint());
    }
    try {
      return callWithRetries(batch, dimensions);
    } finally {
      inFlight.release();
    }
  }

  private float[][] callWithRetries(List<String> batch, int dimensions) {
    Backoff backoff = options.backoff();
    for (int attempt = 1; ; attempt++) {
      if (!breaker.tryAcquire()) {
        throw new EmbeddingException(
            "not calling "
                + endpoint()
                + ": circuit open after "
                + breaker.consecutiveFailures()
                + " consecutive failures; next try in "
                + breaker.remainingCoolDown().toMillis()
                + " ms");
      }
      long started = System.nanoTime();
      try {
        float[][] vectors = client.embed(batch, dimensions);
        breaker.onSuccess();
        batchSize.onSuccess(batch.size(), System.nanoTime() - started);
        return vectors;
      } catch (RemoteCallException e) {
        if (e.kind() == RemoteCallException.Kind.RATE_LIMITED) {
          breaker.onNeutral();
        } else {
          breaker.onFailure();
        }
        if (e.kind() == RemoteCallException.Kind.TRANSIENT) {
          batchSize
              .onFailure(); // a timeout or 5xx may be the load; a refusal or a bad answer is not
        }
        if (!e.kind().retryable
            || attempt >= backoff.maxAttempts()
            || Thread.currentThread().isInterrupted()) {
          String tries =
              e.kind().retryable ? " (after " + attempt + (attempt == 1 ? " try)" : " tries)") : "";
          throw new EmbeddingException(e.getMessage() + tries, e);
        }
        Duration wait = backoff.delay(attempt, ThreadLocalRandom.current());
        if (e.retryAfter().compareTo(wait) > 0) {
          wait = e.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : e.retryAfter();
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new EmbeddingException(
              "interrupted while waiting to retry " + endpoint() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** The current adaptive request size (for tests and reports). */
  int currentBatchSize() {
    return batchSize.current();
  }

  CircuitBreaker.State circuitState() {
    return breaker.state();
  }

  /** Stops calls in flight and closes the pooled connections. */
  @Override
  public void close() {
    executor.shutdownNow();
    client.close();
  }
}
