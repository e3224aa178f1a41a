package dev.quarry.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quarry.bench.json.BenchJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where benchmark runs are kept: every run appended as one JSON line to a history file, and one run
 * saved as the baseline (a JSON file) that later runs are judged against. Both hold a run as {@link
 * Stored} writes it. Not thread-safe; one benchmark run at a time writes here.
 */
public final class BenchHistory {
  private final Path historyFile;
  private final Path baselineFile;

  public BenchHistory(Path historyFile, Path baselineFile) {
    this.historyFile = historyFile;
    this.baselineFile = baselineFile;
  }

  public Path historyFile() {
    return historyFile;
  }

  public Path baselineFile() {
    return baselineFile;
  }

  /** Appends {@code run} as one line to the history file (created with its folders if needed). */
  public void append(BenchRun run) throws IOException {
    createParent(historyFile);
    Files.writeString(
        historyFile,
        BenchJson.compact(Stored.of(run)) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Every run in the history file, oldest first; empty when there is none. */
  public List<BenchRun> runs() throws IOException {
    List<BenchRun> runs = new ArrayList<>();
    if (!Files.isRegularFile(historyFile)) {
      return runs;
    }
    List<String> lines = Files.readAllLines(historyFile, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        runs.add(parse(lines.get(i), historyFile + ":" + (i + 1)));
      }
    }
    return runs;
  }

  /** The saved baseline, if any. */
  public Optional<BenchRun> baseline() throws IOException {
    if (!Files.isRegularFile(baselineFile)) {
      return Optional.empty();
    }
    return Optional.of(
        parse(Files.readString(baselineFile, StandardCharsets.UTF_8), baselineFile.toString()));
  }

  /** Makes {@code run} the baseline, replacing the previous one atomically. */
  public void saveBaseline(BenchRun run) throws IOException {
    createParent(baselineFile);
    Path tmp = baselineFile.resolveSibling(baselineFile.getFileName() + ".tmp");
    Files.writeString(tmp, BenchJson.pretty(Stored.of(run)) + "\n", StandardCharsets.UTF_8);
    Files.move(
        tmp, baselineFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * A run as the history and the baseline file hold it: figures in a map keyed by name (in the
   * order measured), config and machine sorted by key, {@code startedAt} in ISO-8601.
   */
  @JsonPropertyOrder({"suite", "startedAt", "config", "machine", "figures", "details"})
  record Stored(
      String suite,
      Instant startedAt,
      Map<String, String> config,
      Map<String, String> machine,
      Map<String, Figure.Summary> figures,
      BenchDetails details) {

    static Stored of(BenchRun run) {
      Map<String, Figure.Summary> figures = new LinkedHashMap<>();
      for (Figure f : run.figures()) {
        figures.put(f.name(), f.summary());
      }
      return new Stored(
          run.suite(), run.startedAt(), run.config(), run.machine(), figures, run.details());
    }

    BenchRun toRun() {
      if (suite == null || startedAt == null) {
        throw new IllegalArgumentException("no suite or startedAt");
      }
      List<Figure> list = new ArrayList<>();
      if (figures != null) {
        figures.forEach((name, summary) -> list.add(summary.toFigure(name)));
      }
      return new BenchRun(
          suite,
          startedAt,
          config == null ? Map.of() : config,
          machine == null ? Map.of() : machine,
          list,
          details == null ? BenchDetails.none() : details);
    }
  }

  private static BenchRun parse(String text, String where) throws IOException {
    try {
      return BenchJson.mapper().readValue(text, Stored.class).toRun();
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException(where + ": not a benchmark run: " + e.getMessage(), e);
    }
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
