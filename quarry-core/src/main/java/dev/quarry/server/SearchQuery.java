package dev.quarry.server;

import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One search as a client asked for it, checked and normalised: two requests that differ only in
 * spacing or letter case of the mode are the same query (and the same cache entry).
 *
 * @param q the query text, stripped, runs of white space made one space
 * @param k hits wanted, 1..{@link #MAX_K}
 * @param mode the search mode
 * @param path a path glob, or null
 * @param lang a language, lower case, or null
 * @param offset hits skipped first (paging), 0..{@link #MAX_OFFSET}
 */
record SearchQuery(String q, int k, SearchMode mode, String path, String lang, int offset) {
  /** A page of hits; more is a bulk export, which the CLI does better. */
  static final int MAX_K = 100;

  /** Deep pages cost a search of offset + k hits; beyond this a client should narrow the query. */
  static final int MAX_OFFSET = 1_000;

  /** 4 KiB of query: a pasted stack trace fits; the searcher keeps only its first terms anyway. */
  static final int MAX_QUERY_BYTES = 4 << 10;

  static final int DEFAULT_K = 10;

  /**
   * Checks the raw fields (null: not given).
   *
   * @param defaultMode the mode when none is given
   * @throws HttpError (400) naming the bad field and its value
   */
  static SearchQuery parse(
      String q,
      String k,
      String mode,
      String path,
      String lang,
      String offset,
      SearchMode defaultMode) {
    if (q == null || q.isBlank()) {
      throw new HttpError(400, "'q' is required: the text to search for");
    }
    if (q.getBytes(StandardCharsets.UTF_8).length > MAX_QUERY_BYTES) {
      throw new HttpError(400, "'q' is longer than " + MAX_QUERY_BYTES + " bytes");
    }
    int hits = integer("k", k, DEFAULT_K, 1, MAX_K);
    int skip = integer("offset", offset, 0, 0, MAX_OFFSET);
    SearchMode parsedMode = defaultMode;
    if (mode != null) {
      try {
        parsedMode = SearchMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new HttpError(
            400, "'mode' must be lexical, semantic or hybrid, got '" + mode.strip() + "'");
      }
    }
    String glob = path == null || path.isBlank() ? null : path.strip();
    String language = lang == null || lang.isBlank() ? null : lang.strip().toLowerCase(Locale.ROOT);
    SearchQuery query =
        new SearchQuery(q.strip().replaceAll("\\s+", " "), hits, parsedMode, glob, language, skip);
    query.request(); // a bad glob is the client's error, found before any search
    return query;
  }

  /** The library's request: offset + k hits, of which the first offset are dropped. */
  SearchRequest request() {
    try {
      return new SearchRequest(
          q, offset + k, mode, Optional.ofNullable(path), Optional.ofNullable(lang));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  String modeName() {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static int integer(String name, String value, int absent, int min, int max) {
    if (value == null || value.isBlank()) {
      return absent;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new HttpError(400, "'" + name + "' must be a whole number, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new HttpError(
          400, "'" + name + "' must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }
}
