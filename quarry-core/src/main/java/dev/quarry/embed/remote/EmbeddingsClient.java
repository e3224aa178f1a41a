package dev.quarry.embed.remote;

import dev.quarry.embed.ModelIdentity;
import dev.quarry.embed.openai.EmbeddingsRequest;
import dev.quarry.embed.openai.ErrorResponse;
import dev.quarry.embed.openai.ModelList;
import dev.quarry.embed.openai.OpenAiWire;
import dev.quarry.embed.openai.WireFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One OpenAI-compatible endpoint spoken to over HTTP: a request per call, no retries (the caller
 * decides). Connections are pooled by the JDK client and kept alive between calls. Every failure is
 * a {@link RemoteCallException} whose message names the endpoint (without user info or query) and
 * never the API key. Thread-safe.
 */
final class EmbeddingsClient {
  /**
   * The largest response body read: 2048 vectors of 3072 floats at ~12 chars each is 75 MB; a batch
   * here is far smaller. A bound so a broken endpoint cannot exhaust the heap.
   */
  static final int MAX_RESPONSE_BYTES = 128 << 20;

  private final HttpClient http;
  private final URI embeddingsUri;
  private final URI modelsUri;
  private final String model;
  private final ApiKey apiKey;
  private final Duration timeout;
  private final String display;

  EmbeddingsClient(
      URI endpoint, String model, ApiKey apiKey, Duration connectTimeout, Duration timeout) {
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String base;
    if (path.endsWith("/embeddings")) {
      base = path.substring(0, path.length() - "/embeddings".length());
    } else {
      base = path.isEmpty() ? "/v1" : path;
    }
    String origin = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
    this.embeddingsUri = URI.create(origin + base + "/embeddings");
    this.modelsUri = URI.create(origin + base + "/models");
    // User info may hold a password: never shown.
    this.display =
        endpoint.getScheme()
            + "://"
            + endpoint.getHost()
            + (endpoint.getPort() >= 0 ? ":" + endpoint.getPort() : "")
            + base
            + "/embeddings";
    this.model = model;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Closes the pooled connections (calls in flight fail). */
  void close() {
    http.shutdownNow();
  }

  /** The endpoint as messages name it. */
  String display() {
    return display;
  }

  /**
   * Embeds {@code texts} in one request.
   *
   * @param dimensions the expected vector length, 0 when not known yet
   */
  float[][] embed(List<String> texts, int dimensions) throws RemoteCallException {
    byte[] bytes = OpenAiWire.write(EmbeddingsRequest.of(model, texts));
    HttpRequest request =
        request(embeddingsUri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    Answer answer = send(request, "POST " + display);
    if (answer.status != 200) {
      throw failure(answer, "POST " + display);
    }
    return ResponseValidator.vectors(answer.body, texts.size(), dimensions, display);
  }

  /**
   * The Quarry identity the endpoint reports for this model in {@code /v1/models}, when it is a
   * Quarry server; empty for other servers or when the list cannot be had (it is optional).
   *
   * @throws RemoteCallException when the endpoint reports an identity that does not hold together
   */
  Optional<ModelIdentity> quarryIdentity() throws RemoteCallException {
    String what = "GET " + modelsUri.getPath();
    Answer answer;
    try {
      answer = send(request(modelsUri).GET().build(), what);
    } catch (RemoteCallException e) {
      return Optional.empty();
    }
    if (answer.status != 200) {
      return Optional.empty();
    }
    ModelList models;
    try {
      models = OpenAiWire.read(answer.body, ModelList.class);
    } catch (WireFormatException e) {
      return Optional.empty(); // not an answer this client understands: as if there were no list
    }
    if (models.data() == null) {
      return Optional.empty();
    }
    for (ModelList.Model entry : models.data()) {
      ModelList.QuarryIdentity quarry = entry == null ? null : entry.quarry();
      if (quarry == null || !model.equals(entry.id())) {
        continue;
      }
      try {
        ModelIdentity identity =
            new ModelIdentity(
                quarry.name(),
                quarry.version(),
                quarry.dimensions(),
                quarry.maxTokens(),
                quarry.pooling(),
                quarry.normalized());
        if (!identity.id().equals(quarry.id())) {
          throw new IllegalArgumentException(
              "its fields make '" + identity.id() + "', it says '" + quarry.id() + "'");
        }
        return Optional.of(identity);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new RemoteCallException(
            RemoteCallException.Kind.INVALID_RESPONSE,
            "invalid model identity from " + modelsUri + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (apiKey.present()) {
      builder.header("Authorization", apiKey.header());
    }
    return builder;
  }

  private record Answer(int status, byte[] body, HttpResponse<?> response) {}

  /**
   * Sends {@code request} and reads the whole answer within the timeout: the request's own timeout
   * covers only the wait for the headers, and a body that stalls after them must not hang a run.
   */
  private Answer send(HttpRequest request, String what) throws RemoteCallException {
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request, info -> new BoundedBody(MAX_RESPONSE_BYTES));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Answer(response.statusCode(), response.body(), response);
    } catch (TimeoutException e) {
      future.cancel(true); // aborts the exchange and its connection
      throw new RemoteCallException(
          RemoteCallException.Kind.TRANSIENT,
          what + ": no answer within " + timeout.toMillis() + " ms",
          Duration.ZERO,
          null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new RemoteCallException(
            RemoteCallException.Kind.TRANSIENT,
            what + ": no answer within " + timeout.toMillis() + " ms",
            Duration.ZERO,
            null);
      }
      if (cause instanceof BoundedBody.TooLarge) {
        throw new RemoteCallException(
            RemoteCallException.Kind.INVALID_RESPONSE,
            what + ": the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      String message = cause == null ? null : cause.getMessage();
      throw new RemoteCallException(
          RemoteCallException.Kind.TRANSIENT,
          what
              + ": "
              + (cause == null ? "failed" : cause.getClass().getSimpleName())
              + (message == null ? "" : ": " + apiKey.redact(message)),
          Duration.ZERO,
          null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RemoteCallException(
          RemoteCallException.Kind.REJECTED, what + ": interrupted", Duration.ZERO, null);
    }
  }

  /** Collects a body up to a bound; a larger one fails the exchange (and cancels its reading). */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    static final class TooLarge extends IOException {
      private static final long serialVersionUID = 1L;

      TooLarge() {
        super("response too large");
      }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private final long limit;
    private long size;
    private Flow.Subscription subscription;

    BoundedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        size += b.remaining();
        buffers.add(b);
      }
      if (size > limit && !result.isDone()) {
        buffers.clear();
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      if (result.isDone()) {
        return;
      }
      byte[] bytes = new byte[(int) size];
      int at = 0;
      for (ByteBuffer b : buffers) {
        int n = b.remaining();
        b.get(bytes, at, n);
        at += n;
      }
      result.complete(bytes);
    }
  }

  private RemoteCallException failure(Answer answer, String what) {
    int status = answer.status;
    String message = what + ": HTTP " + status + errorMessage(answer.body);
    if (status == 429) {
      return new RemoteCallException(
          RemoteCallException.Kind.RATE_LIMITED, message, retryAfter(answer.response), null);
    }
    if (status == 408 || status >= 500) {
      return new RemoteCallException(
          RemoteCallException.Kind.TRANSIENT, message, retryAfter(answer.response), null);
    }
    return new RemoteCallException(RemoteCallException.Kind.REJECTED, message);
  }

  /**
   * The server's error message ({@code error.message}, OpenAI's shape), short and with the key
   * redacted.
   */
  private String errorMessage(byte[] body) {
    try {
      ErrorResponse error = OpenAiWire.read(body, ErrorResponse.class);
      if (error.error() != null && error.error().message() != null) {
        String text = apiKey.redact(error.error().message());
        return ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
      }
    } catch (WireFormatException e) {
      // not OpenAI's error shape: the status says enough
    }
    return "";
  }

  /** {@code Retry-After} (seconds or an HTTP date) or {@code retry-after-ms}; zero when absent. */
  static Duration retryAfter(HttpResponse<?> response) {
    Optional<String> millis = response.headers().firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().trim())));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    Optional<String> header = response.headers().firstValue("retry-after");
    if (header.isEmpty()) {
      return Duration.ZERO;
    }
    String value = header.get().trim();
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value) * 1000)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException e2) {
        return Duration.ZERO;
      }
    }
  }
}
