package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.SnippetLine;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A search asked of the {@code quarry serve} that keeps the index open ({@link ServerClient}); the
 * answer is turned back into the hits a local search gives, so both print alike.
 */
final class ServerSearch {
  private ServerSearch() {}

  /**
   * The hits of {@code request} from the server at {@code base}; empty when it cannot be reached.
   *
   * @throws UsageException when the server refuses the request as the user's mistake (400)
   * @throws IOException when it answers with another error
   */
  static Optional<List<SearchHit>> search(URI base, SearchRequest request) throws IOException {
    StringBuilder query =
        new StringBuilder("/v1/search?q=")
            .append(encode(request.query()))
            .append("&k=")
            .append(request.limit())
            .append("&mode=")
            .append(request.mode().name().toLowerCase(Locale.ROOT));
    request.pathGlob().ifPresent(glob -> query.append("&path=").append(encode(glob)));
    request.language().ifPresent(lang -> query.append("&lang=").append(encode(lang)));
    Optional<ServerClient.Answer> answer = ServerClient.get(base, query.toString());
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    if (answer.get().status() == 400) {
      throw new UsageException(answer.get().error());
    }
    return Optional.of(hits(ServerClient.ok(answer.get()).path("hits")));
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
