package dev.quarry.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where benchmark runs are kept: every run appended as one JSON line to a history file, and one
 * run saved as the baseline (a JSON file) that later runs are judged against. Not thread-safe;
 * one benchmark run at a time writes here.
 */
public final class BenchHistory {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    Files.writeString(historyFile, JSON.writeValueAsString(toJson(run)) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
    return Optional.of(parse(Files.readString(baselineFile, StandardCharsets.UTF_8), baselineFile.toString()));
  }

  /** Makes {@code run} the baseline, replacing the previous one atomically. */
  public void saveBaseline(BenchRun run) throws IOException {
    createParent(baselineFile);
    Path tmp = baselineFile.resolveSibling(baselineFile.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(run)) + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, baselineFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The JSON form of a run (history lines and the baseline file), as maps and lists. */
  public static Map<String, Object> toJson(BenchRun run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("suite", run.suite());
    json.put("startedAt", run.startedAt().toString());
    json.put("config", new TreeMap<>(run.config()));
    json.put("machine", new TreeMap<>(run.machine()));
    Map<String, Object> figures = new LinkedHashMap<>();
    for (Figure f : run.figures()) {
      figures.put(f.name(), figureJson(f));
    }
    json.put("figures", figures);
    json.put("details", run.details());
    return json;
  }

  /** A figure as JSON: unit, direction, samples, median, min and max. */
  public static Map<String, Object> figureJson(Figure f) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("unit", f.unit());
    json.put("better", f.better().label());
    json.put("samples", f.samples());
    json.put("median", f.median());
    json.put("min", f.min());
    json.put("max", f.max());
    return json;
  }

  /** Reads a run back from {@link #toJson}'s form. */
  public static BenchRun fromJson(JsonNode json) {
    List<Figure> figures = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = json.path("figures").properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      List<Double> samples = new ArrayList<>();
      e.getValue().path("samples").forEach(s -> samples.add(s.asDouble()));
      figures.add(new Figure(e.getKey(), e.getValue().path("unit").asText(),
          Figure.Better.parse(e.getValue().path("better").asText()), samples));
    }
    return new BenchRun(
        json.path("suite").asText(),
        Instant.parse(json.path("startedAt").asText()),
        JSON.convertValue(json.path("config"), new TypeReference<Map<String, String>>() {}),
        JSON.convertValue(json.path("machine"), new TypeReference<Map<String, String>>() {}),
        figures,
        json.has("details") ? JSON.convertValue(json.get("details"), new TypeReference<Map<String, Object>>() {}) : Map.of());
  }

  private static BenchRun parse(String text, String where) throws IOException {
    try {
      return fromJson(JSON.readTree(text));
    } catch (JsonProcessingException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
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
