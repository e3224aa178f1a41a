package dev.quarry.serve;

import dev.quarry.embed.EmbeddingException;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.embed.openai.EmbeddingsRequest;
import dev.quarry.embed.openai.EmbeddingsResponse;
import dev.quarry.embed.openai.ErrorResponse;
import dev.quarry.embed.openai.ModelList;
import dev.quarry.embed.openai.OpenAiWire;
import dev.quarry.embed.openai.WireFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Promise;

/**
 * The OpenAI-compatible embeddings contract, in one place for every server that serves a model's
 * vectors ({@link EmbeddingServer}, and the search server for its index's model):
 *
 * <ul>
 *   <li>{@code POST /v1/embeddings} with {@code {"model": NAME, "input": "text" | ["text", ...]}}
 *       answers {@code
 *       {"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],
 *       "model":NAME,"usage":{"prompt_tokens":n,"total_tokens":n}}};
 *   <li>{@code GET /v1/models} lists the one model, with an extra {@code quarry} object holding its
 *       {@link ModelIdentity} (and {@code id()}), so a Quarry client knows it gets the vectors its
 *       local model would give and can share an index or cache with local runs.
 * </ul>
 *
 * <p>Every refusal is OpenAI's error shape ({@code {"error":{"message","type","code"}}}): a method
 * other than the route's (405), a POST that is not {@code application/json} (415), a body over
 * {@link ServeOptions#maxRequestBytes} (413), more than {@link #MAX_INPUTS} inputs or a bad field
 * (400), another model's name (404), no model at all (409), more requests than the {@link
 * Admission} holds (503 with {@code Retry-After}), a body not received within the request's
 * deadline (408). A queued request whose client has gone is not computed ({@link ClientGone}).
 *
 * <p>The caller's own checks (Host, Origin, token) are the server's, made before. Thread-safe; the
 * model must be too.
 */
public final class EmbeddingRoutes {
  /** The paths these routes answer. */
  public static final Set<String> PATHS = Set.of("/v1/embeddings", "/v1/models");

  /** OpenAI's own limit on inputs per request. */
  public static final int MAX_INPUTS = 2048;

  /** What a client told to come back (503) waits: about the time a queue of batches takes. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final ServeOptions options;
  private final Admission admission;

  /**
   * @param options the body bound, read timeout and concurrency (named in refusals)
   * @param admission bounds the requests computing and waiting; a server may share it with its
   *     other model work
   */
  public EmbeddingRoutes(ServeOptions options, Admission admission) {
    this.options = options;
    this.admission = admission;
  }

  /** A status, a JSON body written once, and extra headers in order. */
  public record Answer(int status, byte[] json, Map<String, String> headers) {
    public Answer {
      headers = Map.copyOf(headers);
    }

    static Answer of(int status, Object body, String... headers) {
      Map<String, String> named = new LinkedHashMap<>();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        named.put(headers[i], headers[i + 1]);
      }
      return new Answer(status, OpenAiWire.write(body), named);
    }
  }

  /** The client left before its answer: there is no one to answer, the exchange is dropped. */
  public static final class ClientGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientGone(String message) {
      super(message, null, false, false);
    }
  }

  /** Whether {@code path} is one of these routes. */
  public static boolean serves(String path) {
    return PATHS.contains(path);
  }

  /**
   * A server's own refusal of a request to these routes (its caller checks, its readiness), in
   * OpenAI's error shape, so that clients of the contract read every error the same way.
   *
   * @param headers extra headers: name, value, ...
   */
  public static Answer refusal(int status, String message, String... headers) {
    return Answer.of(status, ErrorResponse.of(status, codeFor(status), message), headers);
  }

  /** OpenAI-style codes for the statuses a server's own checks give. */
  private static String codeFor(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 403 -> "forbidden_origin";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 409 -> "no_model";
      case 413 -> "request_too_large";
      case 415 -> "unsupported_media_type";
      case 421 -> "misdirected_request";
      case 503 -> "unavailable";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  static Answer refused(Refusal refusal) {
    return Answer.of(
        refusal.status,
        ErrorResponse.of(refusal.status, refusal.code, refusal.getMessage()),
        refusal.headers);
  }

  /**
   * Answers a request to one of {@link #PATHS}.
   *
   * @param left the time left of the request's read deadline
   * @param model the model served; empty: this server has none (409, naming the alternative)
   * @throws ClientGone when the client left while sending or waiting
   */
  public Answer answer(Request request, Duration left, Optional<EmbeddingModel> model) {
    try {
      String path = request.getHttpURI().getPath();
      if (model.isEmpty()) {
        throw new Refusal(
            409,
            "no_model",
            "this index has no embedding model (it holds no vectors), so this server serves no "
                + path
                + "; serve a model's vectors with 'quarry serve --embeddings'");
      }
      return "/v1/models".equals(path)
          ? models(request, model.get())
          : embeddings(request, left, model.get());
    } catch (Refusal e) {
      return refused(e);
    } catch (EmbeddingException e) {
      return Answer.of(
          500, ErrorResponse.of(500, "model_error", "the model failed: " + e.getMessage()));
    } catch (ClientGone e) {
      throw e;
    } catch (RuntimeException e) {
      return Answer.of(500, ErrorResponse.of(500, "internal_error", e.toString()));
    }
  }

  private static Answer models(Request request, EmbeddingModel model) {
    requireMethod(request, "GET");
    ModelIdentity identity = model.identity();
    ModelList.QuarryIdentity quarry =
        new ModelList.QuarryIdentity(
            identity.id(),
            identity.name(),
            identity.version(),
            identity.dimensions(),
            identity.maxTokens(),
            identity.pooling(),
            identity.normalized());
    return Answer.of(
        200,
        ModelList.of(List.of(new ModelList.Model(identity.name(), "model", 0L, "quarry", quarry))));
  }

  private Answer embeddings(Request request, Duration left, EmbeddingModel model) {
    requireMethod(request, "POST");
    requireJson(request);
    long declared = request.getLength();
    if (declared > options.maxRequestBytes()) {
      RequestBodies.drainIfSmall(request, left);
      throw tooLarge();
    }
    if (!admission.tryEnter()) {
      throw new Refusal(
          503,
          "overloaded",
          "the server is busy ("
              + options.maxComputing()
              + " requests computing, "
              + options.maxQueued()
              + " waiting); retry later",
          "Retry-After",
          RETRY_AFTER_SECONDS);
    }
    try {
      EmbeddingsRequest parsed = parse(readBody(request, left));
      ModelIdentity identity = model.identity();
      String asked = parsed.model();
      if (asked != null && !asked.equals(identity.name()) && !asked.equals(identity.id())) {
        throw new Refusal(
            404,
            "model_not_found",
            "model '" + asked + "' is not served here; this server has '" + identity.name() + "'");
      }
      String format = parsed.encodingFormat();
      if (format != null && !EmbeddingsRequest.FLOAT.equals(format)) {
        throw new Refusal(
            400,
            "invalid_request_error",
            "encoding_format '" + format + "' is not supported (only 'float')");
      }
      List<String> inputs = inputs(parsed);
      boolean[] closeAfter = {false};
      List<float[]> vectors = compute(request, model, inputs, closeAfter);
      long tokens = 0;
      for (String input : inputs) {
        tokens += model.tokenizer().countTokens(input) + 2; // [CLS] and [SEP], as OpenAI counts all
      }
      EmbeddingsResponse ok = EmbeddingsResponse.of(identity.name(), vectors, tokens);
      return closeAfter[0] ? Answer.of(200, ok, "Connection", "close") : Answer.of(200, ok);
    } finally {
      admission.leave();
    }
  }

  /**
   * Waits for the model, then embeds, unless the client has gone meanwhile (it would be work for no
   * one, and clients that time out under load would otherwise make the queue longer still).
   *
   * @param closeAfter set when the client sent more while it waited: the connection is closed after
   *     the answer
   */
  private List<float[]> compute(
      Request request, EmbeddingModel model, List<String> inputs, boolean[] closeAfter) {
    boolean waited;
    try {
      waited = admission.awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGone("interrupted while waiting for the model");
    }
    try {
      if (waited) {
        switch (ClientProbe.probe(request.getConnectionMetaData().getConnection().getEndPoint())) {
          case GONE -> throw new ClientGone("the client left while its request waited");
          case SENT_MORE -> closeAfter[0] = true;
          case WAITING -> {}
        }
      }
      return model.embed(inputs);
    } finally {
      admission.done();
    }
  }

  static void requireMethod(Request request, String method) {
    if (!request.getMethod().equalsIgnoreCase(method)) {
      throw new Refusal(
          405,
          "method_not_allowed",
          request.getMethod()
              + " is not allowed on "
              + request.getHttpURI().getPath()
              + "; use "
              + method,
          "Allow",
          method);
    }
  }

  /**
   * A POST must say it is JSON: a web page can send {@code text/plain} (a "simple" request) across
   * sites without the browser asking first, but not {@code application/json}.
   */
  private static void requireJson(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json")) {
      throw new Refusal(
          415,
          "unsupported_media_type",
          "the request's Content-Type must be application/json, got "
              + (type == null ? "none" : "'" + type + "'"));
    }
  }

  /** The body, read within the time left of the request's deadline. */
  private byte[] readBody(Request request, Duration left) {
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    Content.Source.asByteArrayAsync(
        request, options.maxRequestBytes(), Promise.Invocable.toPromise(body));
    try {
      return body.get(left.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      body.cancel(true);
      throw new Refusal(
          408,
          "request_timeout",
          "the request was not received within " + options.readTimeout().toMillis() + " ms",
          "Connection",
          "close");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw new ClientGone("the client left while sending: " + e.getCause());
      }
      throw tooLarge(); // the only other failure: more than the bound
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGone("interrupted while reading the request");
    }
  }

  private static List<String> inputs(EmbeddingsRequest request) {
    if (request.input() != null && request.input().size() > MAX_INPUTS) {
      throw new Refusal(
          400,
          "invalid_request_error",
          "'input' has "
              + request.input().size()
              + " items; at most "
              + MAX_INPUTS
              + " per request");
    }
    try {
      return request.texts();
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "invalid_request_error", e.getMessage());
    }
  }

  private Refusal tooLarge() {
    return new Refusal(
        413,
        "request_too_large",
        "the request body is larger than " + options.maxRequestBytes() + " bytes");
  }

  private static EmbeddingsRequest parse(byte[] body) {
    try {
      return OpenAiWire.read(body, EmbeddingsRequest.class);
    } catch (WireFormatException e) {
      throw new Refusal(400, e.json() ? "invalid_request_error" : "invalid_json", e.getMessage());
    }
  }
}
