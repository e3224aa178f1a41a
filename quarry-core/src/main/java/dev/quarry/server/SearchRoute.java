package dev.quarry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.quarry.Quarry;
import dev.quarry.json.QuarryJson;
import dev.quarry.search.SearchMode;
import dev.quarry.search.Searcher;
import dev.quarry.serve.Admission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;

/**
 * {@code GET /v1/search?q=&k=&mode=&path=&lang=&offset=} and {@code POST /v1/search} (a JSON object
 * of the same fields): a {@link SearchAnswer}, with the commit generation that answered.
 *
 * <p>Answers are cached, as the JSON bytes sent, by the normalised query and the commit generation:
 * a commit changes the generation, so a cached answer is never served for a newer index state. A
 * cached answer costs no search and no model time, so it does not queue behind the admission that
 * bounds searches. Thread-safe.
 */
final class SearchRoute {
  /** Search bodies are a few fields; 64 KiB is far more than one needs. */
  static final int MAX_BODY_BYTES = 64 << 10;

  /** Answers kept: a few MB of hits at most; the working set of an editor or agent session. */
  private static final int CACHED_ANSWERS = 1_000;

  private final ServedSession session;
  private final Admission admission;
  private final Duration readTimeout;
  private final Cache<CacheKey, JsonAnswer> answers =
      Caffeine.newBuilder().maximumSize(CACHED_ANSWERS).recordStats().build();

  private record CacheKey(SearchQuery query, long generation) {}

  /** A search's answer, written once as JSON: a cached answer is sent as it is. */
  record JsonAnswer(String mode, byte[] json) {}

  SearchRoute(ServedSession session, Admission admission, Duration readTimeout) {
    this.session = session;
    this.admission = admission;
    this.readTimeout = readTimeout;
  }

  Cache<?, ?> answers() {
    return answers;
  }

  JsonAnswer answer(Request request, Duration left) {
    Quarry.SearchSession open = session.require();
    SearchMode defaultMode = open.hasModel() ? SearchMode.HYBRID : SearchMode.LEXICAL;
    SearchQuery query;
    if (request.getMethod().equalsIgnoreCase("GET")) {
      Fields params;
      try {
        params = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        throw new HttpError(400, "the query string is not valid: " + e.getMessage());
      }
      query =
          SearchQuery.parse(
              params.getValue("q"),
              params.getValue("k"),
              params.getValue("mode"),
              params.getValue("path"),
              params.getValue("lang"),
              params.getValue("offset"),
              defaultMode);
    } else if (request.getMethod().equalsIgnoreCase("POST")) {
      query = parseBody(readJson(request, left), defaultMode);
    } else {
      throw new HttpError(
          405,
          request.getMethod() + " is not allowed on /v1/search; use GET or POST",
          "Allow",
          "GET, POST");
    }
    if (query.mode() != SearchMode.LEXICAL && !open.hasModel()) {
      throw new HttpError(
          400,
          query.modeName() + " search needs vectors, and this index has none (use mode=lexical)");
    }
    CacheKey key;
    try {
      key = new CacheKey(query, session.generation(open));
    } catch (IOException e) {
      throw new HttpError(503, "the search failed: " + e.getMessage());
    }
    // A cached answer costs no search and no model time: it does not queue for them.
    JsonAnswer cached = answers.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    return Admitted.run(admission, () -> search(query, key));
  }

  private JsonAnswer search(SearchQuery query, CacheKey key) {
    try {
      Searcher.Answer found = session.searcher().answer(query.request());
      JsonAnswer out =
          new JsonAnswer(
              query.modeName(),
              QuarryJson.MAPPER.writeValueAsBytes(
                  SearchAnswer.of(query, found.hits(), found.generation())));
      // Kept only when the search read the generation of the key (no commit came in between).
      if (found.generation() == key.generation()) {
        answers.put(key, out);
      }
      return out;
    } catch (IOException e) {
      throw new HttpError(503, "the search failed: " + e.getMessage());
    }
  }

  private static SearchQuery parseBody(JsonNode body, SearchMode defaultMode) {
    if (!body.isObject()) {
      throw new HttpError(400, "the body must be a JSON object, e.g. {\"q\": \"retry policy\"}");
    }
    return SearchQuery.parse(
        text(body, "q"),
        text(body, "k"),
        text(body, "mode"),
        text(body, "path"),
        text(body, "lang"),
        text(body, "offset"),
        defaultMode);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new HttpError(400, "'" + field + "' must be a string or a number");
    }
    return value.asText();
  }

  private JsonNode readJson(Request request, Duration left) {
    byte[] bytes = readJsonBody(request, left, readTimeout);
    try {
      return QuarryJson.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new HttpError(400, "the body is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * The body of a JSON request, read within {@code left}: 415 when it is not JSON, 413 over {@link
   * #MAX_BODY_BYTES}, 408 when it does not arrive in time.
   */
  static byte[] readJsonBody(Request request, Duration left, Duration readTimeout) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json")) {
      throw new HttpError(
          415,
          "the request's Content-Type must be application/json, got "
              + (type == null ? "none" : "'" + type + "'"));
    }
    if (request.getLength() > MAX_BODY_BYTES) {
      throw tooLarge(); // the server drains a small one before answering
    }
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES, Promise.Invocable.toPromise(body));
    try {
      return body.get(left.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      body.cancel(true);
      throw new HttpError(
          408,
          "the request was not received within " + readTimeout.toMillis() + " ms",
          "Connection",
          "close");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new HttpError(400, "the request body could not be read: " + io.getMessage());
      }
      throw tooLarge();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted");
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes");
  }
}
