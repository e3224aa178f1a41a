package dev.quarry.eval;

import dev.quarry.eval.CodeSearchDataset.Query;
import dev.quarry.eval.CodeSearchDataset.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One mode's NDCG@10 on a code-search set, averaged the benchmark's way: the queries of each
 * repository first, then the repositories, so a repository with many queries weighs no more than
 * one with few. A category's or a language's figure is averaged the same way over the repositories
 * that have queries of it.
 *
 * @param mode the search mode
 * @param overall the mean of the repositories' means
 * @param byCategory per query category, sorted by name
 * @param byLanguage per query language, sorted by name
 * @param byRepository per repository, in data set order (those with no query left out)
 */
public record CodeSearchScores(
    String mode,
    int queries,
    double overall,
    Map<String, Double> byCategory,
    Map<String, Double> byLanguage,
    List<RepositoryScore> byRepository) {

  /** A repository's mean over its queries. */
  public record RepositoryScore(String repo, String language, int queries, double ndcgAt10) {}

  /** A query's score. */
  public record QueryScore(Query query, double ndcgAt10) {}

  public CodeSearchScores {
    byCategory = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byCategory));
    byLanguage = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLanguage));
    byRepository = List.copyOf(byRepository);
  }

  /** Aggregates the query scores of {@code mode} over {@code repositories}. */
  public static CodeSearchScores of(
      String mode, List<Repository> repositories, List<QueryScore> scores) {
    List<RepositoryScore> rows = new ArrayList<>();
    for (Repository repo : repositories) {
      List<QueryScore> mine =
          scores.stream().filter(s -> s.query().repo().equals(repo.name())).toList();
      if (!mine.isEmpty()) {
        rows.add(new RepositoryScore(repo.name(), repo.language(), mine.size(), mean(mine)));
      }
    }
    return new CodeSearchScores(
        mode,
        scores.size(),
        macro(scores, q -> "all").getOrDefault("all", 0.0),
        macro(scores, Query::category),
        macro(scores, Query::language),
        rows);
  }

  /** Per key: the mean over repositories of each repository's mean over its queries of that key. */
  static Map<String, Double> macro(List<QueryScore> scores, Function<Query, String> key) {
    Map<String, Map<String, List<QueryScore>>> grouped = new TreeMap<>();
    for (QueryScore s : scores) {
      grouped
          .computeIfAbsent(key.apply(s.query()), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.query().repo(), r -> new ArrayList<>())
          .add(s);
    }
    Map<String, Double> result = new LinkedHashMap<>();
    grouped.forEach(
        (k, byRepo) ->
            result.put(
                k,
                byRepo.values().stream().mapToDouble(CodeSearchScores::mean).average().orElse(0)));
    return result;
  }

  /**
   * The mean published NDCG@10 of each tool over {@code repositories} (those that publish it), in
   * the order the first repository lists them.
   */
  public static Map<String, Double> published(List<Repository> repositories) {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (Repository repo : repositories) {
      repo.published()
          .forEach((tool, v) -> values.computeIfAbsent(tool, t -> new ArrayList<>()).add(v));
    }
    Map<String, Double> means = new LinkedHashMap<>();
    values.forEach(
        (tool, v) ->
            means.put(tool, v.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    return means;
  }

  private static double mean(List<QueryScore> scores) {
    return scores.stream().mapToDouble(QueryScore::ndcgAt10).average().orElse(0);
  }
}
