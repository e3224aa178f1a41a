package dev.quarry.store;

import java.util.Optional;
import java.util.Set;

/**
 * What a search asks of a store, for either leg.
 *
 * @param terms the query's terms as Quarry's analyzer makes them (lexical leg; may be empty)
 * @param contextBoost weight of a term matched in a chunk's context (its heading or symbol path)
 * @param pathBoost weight of a term matched in the file's path
 * @param k1 BM25's term-frequency saturation
 * @param b BM25's length normalisation
 * @param pathRegexp only chunks whose root-relative path matches this (Lucene regexp syntax)
 * @param language only chunks of this language (lower case)
 */
public record ChunkQuery(
    Set<String> terms,
    float contextBoost,
    float pathBoost,
    float k1,
    float b,
    Optional<String> pathRegexp,
    Optional<String> language) {

  public ChunkQuery {
    terms = Set.copyOf(terms);
  }
}
