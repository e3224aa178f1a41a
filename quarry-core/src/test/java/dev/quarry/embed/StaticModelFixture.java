package dev.quarry.embed;

import java.util.Map;
import java.util.TreeSet;

/**
 * minilm-static distilled over a small part of the vocabulary (every 30th token and a few words the
 * tests use) and fitted on a small part of the corpus, so that tests need seconds, not the full
 * build's minutes. The real recipe, the real teacher, the real identity. Built once per test JVM.
 */
public final class StaticModelFixture {
  /** Words the subset surely has rows for. */
  static final String[] WORDS = {
    "the", "protein", "cell", "cells", "gene", "cancer", "search", "index", "file", "java"
  };

  private static StaticWeights weights;

  private StaticModelFixture() {}

  /** The vocabulary ids of the subset, ascending. */
  static int[] subset() {
    Map<String, Integer> vocabulary = StaticModelStore.vocabulary();
    int[] all = StaticModelDistiller.vocabularyRows(vocabulary);
    TreeSet<Integer> ids = new TreeSet<>();
    for (int i = 0; i < all.length; i += 30) {
      ids.add(all[i]);
    }
    for (String word : WORDS) {
      ids.add(vocabulary.get(word));
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The first 300 sentences of the real corpus: the fit runs, in a second. */
  static java.util.List<String> corpus() {
    return DistillationCorpus.sentences().subList(0, 300);
  }

  static synchronized StaticWeights weights() {
    if (weights == null) {
      weights = StaticModelStore.build(2, subset(), corpus(), StaticModelDistiller.Progress.NONE);
    }
    return weights;
  }

  /** A minilm-static model over the subset's weights; close it when done. */
  public static EmbeddingModel model() {
    return EmbeddingModels.staticModel(weights());
  }
}
