package dev.quarry.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.search.SearchHit;
import java.util.List;

/**
 * What {@code /v1/search} answers: the hits in the shape of {@code quarry search --json}, plus the
 * commit generation that answered (it grows with every commit; two answers of the same generation
 * come from the same index state).
 */
record SearchAnswer(String query, String mode, long generation, int offset, List<Hit> hits) {

  /** One hit, as {@code quarry search --json} writes it (page and context left out when none). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Hit(
      String path,
      String file,
      String language,
      int startLine,
      int endLine,
      Integer page,
      double score,
      boolean stale,
      String context,
      List<Line> snippet,
      String text) {}

  /**
   * A line of a hit's snippet, with its number in the file and where the query's terms are in it
   * (start and end offsets in {@code text}), for a client to mark them.
   */
  record Line(int line, String text, List<int[]> matches) {}

  static SearchAnswer of(SearchQuery query, List<SearchHit> hits, long generation) {
    List<Hit> page =
        hits.stream()
            .skip(query.offset())
            .map(
                h ->
                    new Hit(
                        h.path(),
                        h.file(),
                        h.language(),
                        h.startLine(),
                        h.endLine(),
                        h.page() > 0 ? h.page() : null,
                        h.score(),
                        h.stale(),
                        h.context().isEmpty() ? null : h.context(),
                        h.snippet().stream()
                            .map(l -> new Line(l.number(), l.text(), l.matches()))
                            .toList(),
                        h.text()))
            .toList();
    return new SearchAnswer(query.q(), query.modeName(), generation, query.offset(), page);
  }
}
