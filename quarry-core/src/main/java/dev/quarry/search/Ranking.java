package dev.quarry.search;

/**
 * The knobs of ranking, with defaults tuned on the SciFact train split (never on test).
 *
 * @param k1 BM25 term-frequency saturation
 * @param b BM25 length normalisation
 * @param contextBoost weight of a match in the heading path, relative to the chunk text
 * @param pathBoost weight of a match in the file path
 * @param rrfK reciprocal rank fusion constant
 * @param lexicalWeight weight of the BM25 list in the fusion
 * @param semanticWeight weight of the kNN list in the fusion
 * @param hybridCandidates how many hits each list contributes to the fusion
 * @param sameFileDecay each further chunk of a file already in the list has its score multiplied by
 *     this once more (1: off): a list of ten chunks of one file shows one file, and the reader
 *     wants the next file sooner
 * @param testFileWeight the weight of a chunk of a test file (1: off), unless the query asks about
 *     tests (see {@link FileRerank})
 */
public record Ranking(
    float k1,
    float b,
    float contextBoost,
    float pathBoost,
    int rrfK,
    double lexicalWeight,
    double semanticWeight,
    int hybridCandidates,
    double sameFileDecay,
    double testFileWeight) {

  public Ranking {
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
    if (hybridCandidates < 1) {
      throw new IllegalArgumentException(
          "hybridCandidates must be positive, got " + hybridCandidates);
    }
  }

  /**
   * Anserini's BM25 defaults (k1 0.9, b 0.4), RRF k 60, equal weights; a match in the file path
   * weighs as one in the text (code search, lexical: 0.723 at 0.3, 0.734 at 0.6, 0.747 at 1.0,
   * 0.742 at 1.4; SciFact, whose paths are ids, unchanged); a file's later chunks decayed by half
   * each (code search, 21 repositories, lexical: 0.684 to 0.723 nDCG@10, flat from 0.5 down to
   * 0.05; SciFact unchanged, its abstracts rank by their best chunk).
   */
  public static Ranking defaults() {
    return new Ranking(0.9f, 0.4f, 0.5f, 1.0f, 60, 1.0, 1.0, 100, 0.5, 0.7);
  }
}
