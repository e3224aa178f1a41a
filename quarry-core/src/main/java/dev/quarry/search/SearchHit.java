package dev.quarry.search;

import java.util.List;

/**
 * One chunk that matched.
 *
 * @param file absolute path of the file
 * @param path path relative to its root
 * @param score the mode's score: BM25, cosine similarity, or the fused reciprocal-rank score
 * @param page PDF page the chunk starts on, 0 for other formats
 * @param text the whole chunk text
 * @param snippet the chunk's best lines for the query
 * @param stale true when the file changed on disk (or is gone) since it was indexed
 */
public record SearchHit(
    String file,
    String path,
    String language,
    int startLine,
    int endLine,
    int page,
    double score,
    String context,
    String text,
    List<SnippetLine> snippet,
    boolean stale) {

  public SearchHit {
    snippet = List.copyOf(snippet);
  }
}
