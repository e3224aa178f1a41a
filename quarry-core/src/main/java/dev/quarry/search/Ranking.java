package dev.quarry.search;

import dev.quarry.search.fusion.FusionWeights;
import java.util.Optional;

/**
 * The knobs of ranking, with defaults tuned on the SciFact train split (never on test).
 *
 * @param k1 BM25 term-frequency saturation
 * @param b BM25 length normalisation
 * @param contextBoost weight of a match in the heading path, relative to the chunk text
 * @param pathBoost weight of a match in the file path
 * @param rrfK reciprocal rank fusion constant
 * @param fusion how hybrid search fuses its two lists
 * @param fusionWeights the lexical list's share in the fusion, per query shape; empty: the shares
 *     fitted for the index's model ({@link FusionWeights#fittedFor})
 * @param hybridCandidates how many hits each list contributes to the fusion
 * @param sameFileDecay each further chunk of a file already in the list has its score multiplied by
 *     this once more (1: off): a list of ten chunks of one file shows one file, and the reader
 *     wants the next file sooner
 * @param testFileWeight the weight of a chunk of a test file (1: off), unless the query asks about
 *     tests (see {@link FileRerank})
 * @param definitionBoost a chunk of code that defines a name the query asks for scores {@code 1 +
 *     definitionBoost} times as much (0: off; see {@link FileRerank})
 */
public record Ranking(
    float k1,
    float b,
    float contextBoost,
    float pathBoost,
    int rrfK,
    Fusion fusion,
    Optional<FusionWeights> fusionWeights,
    int hybridCandidates,
    double sameFileDecay,
    double testFileWeight,
    double definitionBoost) {

  /** How the two lists of a hybrid search become one. */
  public enum Fusion {
    /** Reciprocal rank fusion, each list weighted by its share (twice it: 0.5 gives plain RRF). */
    RANKS,
    /**
     * A convex combination of scores each divided by its leg's best ({@link
     * dev.quarry.search.fusion.ScoreFusion}).
     */
    SCORES
  }

  public Ranking {
    java.util.Objects.requireNonNull(fusion, "fusion");
    java.util.Objects.requireNonNull(fusionWeights, "fusionWeights");
    if (k1 < 0 || b < 0 || b > 1) {
      throw new IllegalArgumentException(
          "BM25 needs k1 >= 0 and b in [0, 1], got k1=" + k1 + " b=" + b);
    }
    if (!(sameFileDecay > 0 && sameFileDecay <= 1)) {
      throw new IllegalArgumentException("sameFileDecay must be in (0, 1], got " + sameFileDecay);
    }
    if (!(testFileWeight > 0 && testFileWeight <= 1)) {
      throw new IllegalArgumentException("testFileWeight must be in (0, 1], got " + testFileWeight);
    }
    if (!(definitionBoost >= 0)) {
      throw new IllegalArgumentException("definitionBoost must be >= 0, got " + definitionBoost);
    }
    if (hybridCandidates < 1) {
      throw new IllegalArgumentException(
          "hybridCandidates must be positive, got " + hybridCandidates);
    }
  }

  /**
   * Anserini's BM25 defaults (k1 0.9, b 0.4); hybrid by score fusion with the shares fitted for the
   * model (SciFact train, MiniLM: 0.742 against 0.727 for equal-weight RRF; code search: the same
   * within 0.004); a match in the file path weighs as one in the text (code search, lexical: 0.723
   * at 0.3, 0.734 at 0.6, 0.747 at 1.0, 0.742 at 1.4; SciFact, whose paths are ids, unchanged); a
   * file's later chunks decayed by half each (code search, 21 repositories, lexical: 0.684 to 0.723
   * nDCG@10, flat from 0.5 down to 0.05; SciFact unchanged, its abstracts rank by their best
   * chunk).
   */
  public static Ranking defaults() {
    return new Ranking(
        0.9f, 0.4f, 0.5f, 1.0f, 60, Fusion.SCORES, Optional.empty(), 100, 0.5, 0.7, 0.5);
  }

  /** The same, with the fusion's shares fixed to {@code weights} whatever the model. */
  public Ranking withFusion(Fusion method, FusionWeights weights) {
    return new Ranking(
        k1,
        b,
        contextBoost,
        pathBoost,
        rrfK,
        method,
        Optional.of(weights),
        hybridCandidates,
        sameFileDecay,
        testFileWeight,
        definitionBoost);
  }

  /** The same, with {@code candidates} hits from each list in a fusion. */
  public Ranking withHybridCandidates(int candidates) {
    return new Ranking(
        k1,
        b,
        contextBoost,
        pathBoost,
        rrfK,
        fusion,
        fusionWeights,
        candidates,
        sameFileDecay,
        testFileWeight,
        definitionBoost);
  }
}
