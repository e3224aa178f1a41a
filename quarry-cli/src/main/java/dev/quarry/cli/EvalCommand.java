package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.cache.CacheSettings;
import dev.quarry.chunk.ChunkerKind;
import dev.quarry.eval.BeirDataset;
import dev.quarry.eval.BeirEvaluation;
import dev.quarry.eval.CodeSearchDataset;
import dev.quarry.eval.CodeSearchEvaluation;
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
      "indexes the corpus with the real pipeline, runs every judged query, prints nDCG@10, Recall@100, MRR@10.",
      "Or on a code-search set (queries.jsonl, repos.json, repos/NAME/; told by its files): indexes each",
      "repository on its own, scores each query's top 10 chunks (chunk-level NDCG@10), prints it per",
      "repository, category, language and overall beside the published scores of other tools."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The data set folder.")
  Path dataDir;

  @Option(
      names = "--split",
      defaultValue = "test",
      description = "qrels split (default: ${DEFAULT-VALUE}; BEIR only).")
  String split;

  @Option(
      names = "--repos",
      split = ",",
      paramLabel = "NAME",
      description =
          "Code search only: evaluate these repositories (comma-separated; default: all).")
  List<String> repos = new ArrayList<>();

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
          "Keep the corpus files and indexes here, so a rerun reuses them (default: a temporary folder, deleted).")
  Path workDir;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = Quarry.DEFAULT_MODEL,
      completionCandidates = Choices.Models.class,
      description =
          "Embedding model of the semantic and hybrid modes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--chunker",
      paramLabel = "KIND",
      defaultValue = "lines",
      description =
          "How a code-search set's files are chunked: lines or syntax (default: ${DEFAULT-VALUE});"
              + " each kind has indexes of its own under --work-dir.")
  String chunker;

  @Option(
      names = "--documents-as",
      paramLabel = "EXT",
      defaultValue = "md",
      description =
          "BEIR only: write each document as ID.EXT (default: ${DEFAULT-VALUE}, Markdown with its"
              + " title); another extension writes the text alone as a file of that language"
              + " (py for CoSQA's Python functions, so they are chunked as code).")
  String documentsAs;

  @Option(
      names = "--fit-fusion",
      description =
          "Instead of scoring the modes: score hybrid search under each fusion method and lexical"
              + " share (0 to 1 by tenths) per query shape, and print the best shares (fit them on a"
              + " training split: --split train, never on the queries you report).")
  boolean fitFusion;

  @Mixin OutputOptions output;

  private ChunkerKind chunkerKind() {
    try {
      return ChunkerKind.parse(chunker);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--chunker: " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try {
      Quarry.requireModel(model);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--model: " + e.getMessage());
    }
    List<SearchMode> modes = fitFusion ? List.of(SearchMode.HYBRID) : mode.modes();
    if (CodeSearchDataset.isCodeSearch(dataDir)) {
      return codeSearch(out, modes);
    }
    if (!repos.isEmpty()) {
      throw new UsageException(
          "--repos applies to a code-search set (queries.jsonl, repos.json, repos/), and "
              + dataDir
              + " is not one");
    }
    boolean embed = modes.stream().anyMatch(m -> m != SearchMode.LEXICAL);
    BeirDataset dataset = new BeirDataset(dataDir);
    BeirEvaluation evaluation;
    try {
      evaluation = new BeirEvaluation(dataset, documentsAs);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--documents-as: " + e.getMessage());
    }
    Path work =
        workDir != null ? workDir.toAbsolutePath() : Files.createTempDirectory("quarry-eval");
    try {
      // One folder of files per format, one index per format and model under a kept work dir: an
      // index never mixes two models' vectors.
      String format = documentsAs.equals("md") ? "" : "-" + documentsAs;
      Path docs = work.resolve("docs" + format);
      Path index =
          work.resolve(
              (!embed
                      ? "index-lexical"
                      : model.equalsIgnoreCase(Quarry.DEFAULT_MODEL) ? "index" : "index-" + model)
                  + format);
      ProgressPrinter progress =
          new ProgressPrinter(spec.commandLine().getErr(), Terminal.isInteractive());
      RunSummary build =
          evaluation.buildIndex(
              docs, index, embed, model, output.progress() ? progress : RunListener.NONE);
      progress.finish();
      List<EvalResult> results = new ArrayList<>();
      try (Quarry.SearchSession session =
          Quarry.search(index).withModel(embed).ranking(BeirEvaluation.ranking()).open()) {
        if (fitFusion) {
          out.print(evaluation.sweepFusion(session, split).report());
          return ExitCodes.OK;
        }
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

  /**
   * A code-search set: each repository indexed in the work folder (vectors only when a mode needs
   * them; embeddings through the default disk cache, so a rerun that must embed is fast), its
   * queries scored, a line of progress per repository on stderr.
   */
  private int codeSearch(PrintWriter out, List<SearchMode> modes) throws Exception {
    CodeSearchDataset dataset = new CodeSearchDataset(dataDir);
    List<CodeSearchDataset.Repository> selected;
    try {
      selected = dataset.select(repos);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    Path work =
        workDir != null ? workDir.toAbsolutePath() : Files.createTempDirectory("quarry-eval");
    PrintWriter err = spec.commandLine().getErr();
    boolean progress = output.progress();
    CodeSearchEvaluation.Report report;
    try {
      CodeSearchEvaluation evaluation =
          new CodeSearchEvaluation(dataset, work, model, CacheSettings.defaults())
              .chunkedBy(chunkerKind());
      CodeSearchEvaluation.Progress repoProgress =
          new CodeSearchEvaluation.Progress() {
            private ProgressPrinter printer;

            @Override
            public RunListener indexing(CodeSearchDataset.Repository repo, int index, int count) {
              if (!progress) {
                return RunListener.NONE;
              }
              err.printf(
                  "quarry eval: [%d/%d] %s: indexing%n",
                  index, count, TerminalText.safe(repo.name()));
              err.flush();
              printer = new ProgressPrinter(err, Terminal.isInteractive());
              return printer;
            }

            @Override
            public void indexed(CodeSearchDataset.Repository repo, RunSummary run) {
              if (progress) {
                printer.finish();
                err.printf(
                    "quarry eval: %s: %,d files (%,d indexed), %,d chunks, %.1fs%n",
                    TerminalText.safe(repo.name()),
                    run.filesSeen(),
                    run.filesIndexed(),
                    run.chunksInIndex(),
                    run.wallSeconds());
              }
            }

            @Override
            public void scored(
                CodeSearchDataset.Repository repo, String mode, double ndcg, int queries) {
              if (progress) {
                err.printf(
                    "quarry eval: %s: %s NDCG@10 %.4f (%d queries)%n",
                    TerminalText.safe(repo.name()), mode, ndcg, queries);
                err.flush();
              }
            }
          };
      if (fitFusion) {
        out.print(evaluation.sweepFusion(selected, repoProgress).report());
        return ExitCodes.OK;
      }
      report = evaluation.evaluate(selected, modes, repoProgress);
    } finally {
      if (workDir == null) {
        deleteRecursively(work);
      }
    }
    CodeSearchEvalOutput result = new CodeSearchEvalOutput(dataset, report);
    if (output.json()) {
      out.println(Json.write(result.json()));
    } else {
      result.printTable(out);
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
