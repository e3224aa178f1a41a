package dev.quarry.cli;

import dev.quarry.eval.CodeSearchDataset;
import dev.quarry.eval.CodeSearchDataset.Repository;
import dev.quarry.eval.CodeSearchEvaluation;
import dev.quarry.eval.CodeSearchScores;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of {@code quarry eval} on a code-search set: a table of NDCG@10 per repository,
 * category, language and overall, one column per mode evaluated, with the published scores of other
 * tools from {@code repos.json} beside them (for people); or the same as JSON.
 */
final class CodeSearchEvalOutput {
  /** The published tools shown in the table, with their column titles (JSON has them all). */
  private static final Map<String, String> SHOWN =
      linked("semble", "semble", "CodeRankEmbed hybrid", "CRE-hybrid", "BM25 (unranked)", "BM25");

  private final CodeSearchDataset dataset;
  private final CodeSearchEvaluation.Report report;

  CodeSearchEvalOutput(CodeSearchDataset dataset, CodeSearchEvaluation.Report report) {
    this.dataset = dataset;
    this.report = report;
  }

  void printTable(PrintWriter out) {
    List<CodeSearchScores> results = report.results();
    List<Repository> repos = report.repositories();
    List<String> shown =
        SHOWN.keySet().stream()
            .filter(t -> repos.stream().anyMatch(r -> r.published().containsKey(t)))
            .toList();
    out.printf(
        "NDCG@10 (chunk level, mean of repositories) on %s: %d repositories, %d queries%n",
        dataset.directory(), repos.size(), queryCount(repos));
    StringBuilder header = new StringBuilder(String.format("%-24s %-12s %7s", "", "", "queries"));
    results.forEach(r -> header.append(String.format(" %9s", r.mode())));
    if (!shown.isEmpty()) {
      header.append("  | published:");
      shown.forEach(t -> header.append(String.format(" %10s", SHOWN.get(t))));
    }
    out.println(header);
    for (int i = 0; i < results.get(0).byRepository().size(); i++) {
      CodeSearchScores.RepositoryScore row = results.get(0).byRepository().get(i);
      Repository repo = repos.stream().filter(r -> r.name().equals(row.repo())).findFirst().get();
      List<Double> mine = new ArrayList<>();
      for (CodeSearchScores r : results) {
        mine.add(r.byRepository().get(i).ndcgAt10());
      }
      printRow(out, row.repo(), row.language(), row.queries(), mine, repo.published(), shown);
    }
    out.println("by category");
    Map<String, Integer> categoryCounts = counts(repos, CodeSearchDataset.Query::category);
    for (String category : results.get(0).byCategory().keySet()) {
      printRow(
          out,
          "  " + category,
          "",
          categoryCounts.getOrDefault(category, 0),
          results.stream().map(r -> r.byCategory().get(category)).toList(),
          Map.of(),
          shown);
    }
    out.println("by language");
    Map<String, Integer> languageCounts = counts(repos, CodeSearchDataset.Query::language);
    for (String language : results.get(0).byLanguage().keySet()) {
      printRow(
          out,
          "  " + language,
          "",
          languageCounts.getOrDefault(language, 0),
          results.stream().map(r -> r.byLanguage().get(language)).toList(),
          CodeSearchScores.published(
              repos.stream().filter(r -> r.language().equals(language)).toList()),
          shown);
    }
    printRow(
        out,
        "overall",
        "",
        results.get(0).queries(),
        results.stream().map(CodeSearchScores::overall).toList(),
        CodeSearchScores.published(repos),
        shown);
    out.printf(
        "(indexing: %,d repositories, %,d files, %,d chunks, %.1fs)%n",
        report.indexRuns().size(),
        report.indexRuns().values().stream().mapToLong(s -> s.filesSeen()).sum(),
        report.indexRuns().values().stream().mapToLong(s -> s.chunksInIndex()).sum(),
        report.indexSeconds());
  }

  Map<String, Object> json() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dataset", dataset.directory().toString());
    doc.put("format", "codesearch");
    doc.put("repositories", report.repositories().stream().map(Repository::name).toList());
    doc.put("queries", queryCount(report.repositories()));
    doc.put("indexSeconds", report.indexSeconds());
    List<Map<String, Object>> results = new ArrayList<>();
    for (CodeSearchScores r : report.results()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("mode", r.mode());
      row.put("ndcg@10", r.overall());
      row.put("queries", r.queries());
      row.put("byCategory", r.byCategory());
      row.put("byLanguage", r.byLanguage());
      List<Map<String, Object>> repos = new ArrayList<>();
      for (CodeSearchScores.RepositoryScore s : r.byRepository()) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("repo", s.repo());
        repo.put("language", s.language());
        repo.put("queries", s.queries());
        repo.put("ndcg@10", s.ndcgAt10());
        repos.add(repo);
      }
      row.put("byRepository", repos);
      results.add(row);
    }
    doc.put("results", results);
    Map<String, Object> published = new LinkedHashMap<>();
    published.put("overall", CodeSearchScores.published(report.repositories()));
    Map<String, Object> byRepo = new LinkedHashMap<>();
    report.repositories().forEach(r -> byRepo.put(r.name(), r.published()));
    published.put("byRepository", byRepo);
    doc.put("published", published);
    return doc;
  }

  private static void printRow(
      PrintWriter out,
      String name,
      String language,
      int queries,
      List<Double> scores,
      Map<String, Double> published,
      List<String> shown) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%-24s %-12s %7d", TerminalText.safe(name), TerminalText.safe(language), queries));
    scores.forEach(s -> line.append(String.format(" %9.4f", s)));
    if (!shown.isEmpty()) {
      line.append("  |           ");
      for (String tool : shown) {
        Double p = published.get(tool);
        line.append(p == null ? String.format(" %10s", "") : String.format(" %10.3f", p));
      }
    }
    out.println(line.toString().stripTrailing());
  }

  private int queryCount(List<Repository> repos) {
    return counts(repos, q -> "all").getOrDefault("all", 0);
  }

  private Map<String, Integer> counts(
      List<Repository> repos, java.util.function.Function<CodeSearchDataset.Query, String> key) {
    Map<String, Integer> counts = new TreeMap<>();
    for (CodeSearchDataset.Query q : dataset.queries()) {
      if (repos.stream().anyMatch(r -> r.name().equals(q.repo()))) {
        counts.merge(key.apply(q), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Map<String, String> linked(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
