package dev.quarry.search;

import java.util.Objects;
import java.util.Optional;

/**
 * One query. Immutable; safe to share.
 *
 * @param query the user's text
 * @param limit how many hits to return
 * @param mode lexical, semantic or hybrid
 * @param pathGlob only files whose relative path matches this glob ({@code *} within a segment,
 *     {@code **} across segments, {@code ?}, {@code [..]}, {@code {a,b}}); a glob without '/'
 *     matches the file name in any directory
 * @param language only chunks of this language
 */
public record SearchRequest(
    String query,
    int limit,
    SearchMode mode,
    Optional<String> pathGlob,
    Optional<String> language) {

  /**
   * Checks the query: an {@code IllegalArgumentException} for an empty query, a limit outside
   * 1..10000 or a bad glob.
   */
  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(pathGlob, "pathGlob");
    Objects.requireNonNull(language, "language");
    if (query.isBlank()) {
      throw new IllegalArgumentException("the query is empty");
    }
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
    }
    // Checked here, where it is set, so a bad glob is the caller's error before any search runs.
    pathGlob.ifPresent(PathGlob::toRegexp);
  }

  public static SearchRequest of(String query, int limit, SearchMode mode) {
    return new SearchRequest(query, limit, mode, Optional.empty(), Optional.empty());
  }
}
