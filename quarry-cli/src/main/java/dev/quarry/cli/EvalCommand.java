package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.eval.BeirDataset;
import dev.quarry.eval.BeirEvaluation;
import dev.quarry.eval.EvalResult;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.search.SearchMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "eval",
    description = {
      "Evaluate retrieval on a BEIR-format data set (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv):",
      "indexes the corpus with the real pipeline, runs every judged query, prints nDCG@10, Recall@100, MRR@10."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The data set folder.")
  Path dataDir;

  @Option(
      names = "--split",
      defaultValue = "test",
      description = "qrels split (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--mode",
      defaultValue = "hybrid",
      paramLabel = "MODE",
      converter = Choices.EvalModes.class,
      completionCandidates = Choices.EvalModes.class,
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). lexical needs no embeddings.")
  Choices.EvalMode mode;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Keep the corpus files and index here, so a rerun reuses them (default: a temporary folder, deleted).")
  Path workDir;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = EmbeddingModels.DEFAULT,
      description =
          "Embedding model of the semantic and hybrid modes (default: ${DEFAULT-VALUE}; also minilm-static).")
  String model;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try {
      EmbeddingModels.identityOf(model);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--model: " + e.getMessage());
    }
    List<SearchMode> modes = mode.modes();
    boolean embed = modes.stream().anyMatch(m -> m != SearchMode.LEXICAL);
    BeirDataset dataset = new BeirDataset(dataDir);
    BeirEvaluation evaluation = new BeirEvaluation(dataset);
    Path work =
        workDir != null ? workDir.toAbsolutePath() : Files.createTempDirectory("quarry-eval");
    try {
      Path docs = work.resolve("docs");
      // One index per model under a kept work dir: an index never mixes two models' vectors.
      Path index =
          work.resolve(
              !embed
                  ? "index-lexical"
                  : model.equalsIgnoreCase(EmbeddingModels.DEFAULT) ? "index" : "index-" + model);
      ProgressPrinter progress =
          new ProgressPrinter(spec.commandLine().getErr(), Terminal.isInteractive());
      RunSummary build =
          evaluation.buildIndex(
              docs, index, embed, model, output.progress() ? progress : RunListener.NONE);
      progress.finish();
      List<EvalResult> results = new ArrayList<>();
      try (Quarry.SearchSession session =
          Quarry.search(index).withModel(embed).ranking(BeirEvaluation.ranking()).open()) {
        for (SearchMode m : modes) {
          long t = System.nanoTime();
          EvalResult r = evaluation.evaluate(session, split, m);
          results.add(r);
          if (!output.json()) {
            out.printf(
                "%-8s nDCG@10 %.4f  Recall@100 %.4f  MRR@10 %.4f  (%d queries, %.1fs)%n",
                r.mode(),
                r.ndcgAt10(),
                r.recallAt100(),
                r.mrrAt10(),
                r.queries(),
                (System.nanoTime() - t) / 1e9);
          }
        }
      }
      if (output.json()) {
        out.println(Json.write(toJson(dataDir, split, build, results)));
      } else {
        out.printf(
            "(indexing: %,d files, %,d chunks, %.1fs)%n",
            build.filesSeen(), build.chunksInIndex(), build.wallSeconds());
      }
    } finally {
      if (workDir == null) {
        deleteRecursively(work);
      }
    }
    return ExitCodes.OK;
  }

  private static Object toJson(
      Path dataDir, String split, RunSummary build, List<EvalResult> results) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EvalResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("mode", r.mode());
      row.put("ndcg@10", r.ndcgAt10());
      row.put("recall@100", r.recallAt100());
      row.put("mrr@10", r.mrrAt10());
      row.put("queries", r.queries());
      rows.add(row);
    }
    if (rows.size() == 1) {
      Map<String, Object> single = rows.get(0);
      single.put("dataset", dataDir.toString());
      single.put("split", split);
      single.put("indexSeconds", build.wallSeconds());
      return single;
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("dataset", dataDir.toString());
    all.put("split", split);
    all.put("indexSeconds", build.wallSeconds());
    all.put("results", rows);
    return all;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
