package dev.quarry.eval;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates Quarry on a BEIR data set the way a user would meet it: each corpus document becomes a
 * Markdown file ({@code # title}, then the text) in a folder, the folder is indexed by the real
 * pipeline, and each query is searched through the real searcher. Chunk hits are folded into
 * documents by their best-ranked chunk.
 */
public final class BeirEvaluation {
  /** Chunks asked for per query: enough to fill 100 distinct documents for Recall@100. */
  private static final int CHUNKS_PER_QUERY = 300;

  private final BeirDataset dataset;
  private final String extension;

  /** Documents as Markdown files. */
  public BeirEvaluation(BeirDataset dataset) {
    this(dataset, "md");
  }

  /**
   * Documents as files named {@code ID.EXTENSION}: Markdown ({@code # title}, then the text) for
   * {@code md}; for any other extension the text alone, as a source file of that language, so that
   * a set of code (CoSQA's Python functions) is extracted and chunked as code.
   */
  public BeirEvaluation(BeirDataset dataset, String extension) {
    if (!extension.matches("[A-Za-z0-9]{1,10}")) {
      throw new IllegalArgumentException(
          "a document file extension is 1 to 10 letters or digits, got '" + extension + "'");
    }
    this.dataset = dataset;
    this.extension = extension;
  }

  /**
   * As {@link #buildIndex(Path, IndexOptions, RunListener)} into {@code indexDir}, with the default
   * scan settings and the default model ({@code embed}: with vectors).
   */
  public RunSummary buildIndex(Path docsDir, Path indexDir, boolean embed, RunListener listener)
      throws IOException, InterruptedException {
    return buildIndex(docsDir, indexDir, embed, EmbeddingModels.DEFAULT, listener);
  }

  /**
   * As {@link #buildIndex(Path, Path, boolean, RunListener)}, with the model named {@code model}.
   */
  public RunSummary buildIndex(
      Path docsDir, Path indexDir, boolean embed, String model, RunListener listener)
      throws IOException, InterruptedException {
    IndexOptions options =
        IndexOptions.of(List.of(docsDir), indexDir, ScanOptions.defaults(), embed, model);
    return buildIndex(docsDir, options, listener);
  }

  /**
   * Writes the corpus as files under {@code docsDir} (only files whose content differs, so a rerun
   * leaves an index up to date) and indexes them.
   */
  public RunSummary buildIndex(Path docsDir, IndexOptions options, RunListener listener)
      throws IOException, InterruptedException {
    writeDocuments(docsDir);
    return Quarry.run(options).listener(listener).index();
  }

  /**
   * Writes the corpus as files under {@code docsDir}, only those whose content differs (a rerun
   * leaves an index of them up to date).
   */
  public void writeDocuments(Path docsDir) throws IOException {
    Files.createDirectories(docsDir);
    dataset.forEachDocument(
        doc -> {
          Path file = docsDir.resolve(fileName(doc.id(), extension));
          String text = extension.equals("md") ? markdown(doc) : doc.text() + "\n";
          byte[] content = text.getBytes(StandardCharsets.UTF_8);
          if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), content)) {
            Files.write(file, content);
          }
        });
  }

  /** Searches every judged query of {@code split} in {@code mode} and averages the metrics. */
  public EvalResult evaluate(Quarry.SearchSession session, String split, SearchMode mode)
      throws IOException {
    Map<String, String> queries = dataset.queries();
    Map<String, Map<String, Integer>> qrels = dataset.qrels(split);
    double ndcg = 0;
    double recall = 0;
    double mrr = 0;
    int evaluated = 0;
    for (Map.Entry<String, Map<String, Integer>> judged : qrels.entrySet()) {
      String text = queries.get(judged.getKey());
      if (text == null) {
        throw new IOException(
            "qrels name query '" + judged.getKey() + "', which queries.jsonl lacks");
      }
      List<String> ranked = rankDocuments(session, text, mode);
      ndcg += RetrievalMetrics.ndcgAt(10, ranked, judged.getValue());
      recall += RetrievalMetrics.recallAt(100, ranked, judged.getValue());
      mrr += RetrievalMetrics.reciprocalRankAt(10, ranked, judged.getValue());
      evaluated++;
    }
    String name = mode.name().toLowerCase(java.util.Locale.ROOT);
    return evaluated == 0
        ? new EvalResult(name, 0, 0, 0, 0)
        : new EvalResult(name, evaluated, ndcg / evaluated, recall / evaluated, mrr / evaluated);
  }

  /**
   * Scores hybrid search on every judged query of {@code split} under each fusion method and
   * lexical share (see {@link FusionSweep}); each query is its own group.
   */
  public FusionSweep sweepFusion(Quarry.SearchSession session, String split) throws IOException {
    Map<String, String> queries = dataset.queries();
    FusionSweep sweep = new FusionSweep();
    try (SweepSearchers searchers = new SweepSearchers(session)) {
      for (Map.Entry<String, Map<String, Integer>> judged : dataset.qrels(split).entrySet()) {
        String text = queries.get(judged.getKey());
        if (text == null || text.isBlank()) {
          continue;
        }
        sweep.add(
            judged.getKey(),
            searchers.with(ranking()).shape(text),
            ranking(),
            r ->
                RetrievalMetrics.ndcgAt(
                    10, rankDocuments(searchers.with(r), text), judged.getValue()));
      }
    }
    return sweep;
  }

  /** The ranking Quarry uses for evaluation: its defaults, with enough fusion candidates. */
  public static Ranking ranking() {
    return Ranking.defaults().withHybridCandidates(CHUNKS_PER_QUERY);
  }

  private static List<String> rankDocuments(
      Quarry.SearchSession session, String query, SearchMode mode) throws IOException {
    if (query.isBlank()) {
      return List.of();
    }
    return rankDocuments(session.searcher(), query, mode);
  }

  private static List<String> rankDocuments(Searcher searcher, String query) throws IOException {
    return rankDocuments(searcher, query, SearchMode.HYBRID);
  }

  /**
   * The documents of a search's hits, best first, each once (of {@value #CHUNKS_PER_QUERY} chunks).
   */
  public static List<String> rankDocuments(Searcher searcher, String query, SearchMode mode)
      throws IOException {
    List<Searcher.Location> hits = searcher.locate(SearchRequest.of(query, CHUNKS_PER_QUERY, mode));
    Set<String> docs = new LinkedHashSet<>();
    for (Searcher.Location hit : hits) {
      docs.add(documentId(hit.path()));
    }
    return new ArrayList<>(docs);
  }

  static String markdown(BeirDataset.Document doc) {
    return doc.title().isBlank()
        ? doc.text() + "\n"
        : "# " + doc.title() + "\n\n" + doc.text() + "\n";
  }

  /** A file name for a document id: safe characters kept, others %-escaped, reversible. */
  static String fileName(String id) {
    return fileName(id, "md");
  }

  static String fileName(String id, String extension) {
    StringBuilder name = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.') {
        name.append(c);
      } else {
        name.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return name.append('.').append(extension).toString();
  }

  static String documentId(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    // Escaped ids keep their dots, so only the last one can start the extension we added.
    int dot = name.lastIndexOf('.');
    name = dot > 0 ? name.substring(0, dot) : name;
    return java.net.URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
