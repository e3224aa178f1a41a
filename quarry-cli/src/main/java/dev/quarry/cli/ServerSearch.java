package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.json.QuarryJson;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.SnippetLine;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A search asked of the {@code quarry serve} that keeps the index open: its JVM is warm, its index
 * open and its model loaded, so the answer costs this process only its own start. The answer is
 * turned back into the hits a local search gives, so both print alike.
 */
final class ServerSearch {
  /** A server that does not even accept within this is taken as gone: search locally instead. */
  private static final Duration CONNECT = Duration.ofMillis(500);

  private static final Duration ANSWER = Duration.ofSeconds(60);

  /** Sent as a bearer token when set: the token of a server off loopback. */
  static final String TOKEN_VARIABLE = "QUARRY_SERVE_TOKEN";

  private ServerSearch() {}

  /**
   * The hits of {@code request} from the server at {@code base}; empty when it cannot be reached
   * (it died after writing its {@code server.json}: the caller searches locally).
   *
   * @throws UsageException when the server refuses the request as the user's mistake (400)
   * @throws IOException when it answers with another error
   */
  static Optional<List<SearchHit>> search(URI base, SearchRequest request, String token)
      throws IOException, InterruptedException {
    StringBuilder query =
        new StringBuilder("/v1/search?q=")
            .append(encode(request.query()))
            .append("&k=")
            .append(request.limit())
            .append("&mode=")
            .append(request.mode().name().toLowerCase(Locale.ROOT));
    request.pathGlob().ifPresent(glob -> query.append("&path=").append(encode(glob)));
    request.language().ifPresent(lang -> query.append("&lang=").append(encode(lang)));
    // HttpURLConnection, not java.net.http.HttpClient: in a fresh JVM the latter's start-up (its
    // selector thread, its SSL context) cost more than the search (measured: 1.26 s against 0.79 s
    // for a cold local search; this way, well under).
    HttpURLConnection http =
        (HttpURLConnection) base.resolve(query.toString()).toURL().openConnection();
    http.setConnectTimeout((int) CONNECT.toMillis());
    http.setReadTimeout((int) ANSWER.toMillis());
    if (token != null && !token.isBlank()) {
      http.setRequestProperty("Authorization", "Bearer " + token.strip());
    }
    int status;
    byte[] answer;
    try {
      status = http.getResponseCode();
      try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        answer = in == null ? new byte[0] : in.readAllBytes();
      }
    } catch (java.net.ConnectException | java.net.SocketTimeoutException e) {
      return Optional.empty();
    } finally {
      http.disconnect();
    }
    JsonNode body = QuarryJson.MAPPER.readTree(answer);
    if (status == 400) {
      throw new UsageException(body.path("error").asText("the server refused the search"));
    }
    if (status != 200) {
      throw new IOException(
          "the server at "
              + base
              + " answered "
              + status
              + ": "
              + body.path("error").asText("no reason given"));
    }
    return Optional.of(hits(body.path("hits")));
  }

  private static List<SearchHit> hits(JsonNode hits) {
    List<SearchHit> out = new ArrayList<>();
    for (JsonNode h : hits) {
      List<SnippetLine> snippet = new ArrayList<>();
      for (JsonNode line : h.path("snippet")) {
        List<int[]> matches = new ArrayList<>();
        for (JsonNode m : line.path("matches")) {
          matches.add(new int[] {m.path(0).asInt(), m.path(1).asInt()});
        }
        snippet.add(
            new SnippetLine(line.path("line").asInt(), line.path("text").asText(), matches));
      }
      out.add(
          new SearchHit(
              h.path("file").asText(),
              h.path("path").asText(),
              h.path("language").asText(),
              h.path("startLine").asInt(),
              h.path("endLine").asInt(),
              h.path("page").asInt(0),
              h.path("score").asDouble(),
              h.path("context").asText(""),
              h.path("text").asText(""),
              snippet,
              h.path("stale").asBoolean()));
    }
    return out;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
