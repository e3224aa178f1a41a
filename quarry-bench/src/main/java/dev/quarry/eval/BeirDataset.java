package dev.quarry.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.bench.json.BenchJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BEIR-format evaluation set: {@code corpus.jsonl}, {@code queries.jsonl} and {@code
 * qrels/SPLIT.tsv}. The corpus is streamed, never loaded whole.
 */
public final class BeirDataset {
  private final Path dir;

  public BeirDataset(Path dir) throws IOException {
    this.dir = dir;
    for (String name : List.of("corpus.jsonl", "queries.jsonl")) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new NoSuchFileException(
            dir.resolve(name).toString(), null, "not a BEIR data set: missing " + name);
      }
    }
  }

  public Path directory() {
    return dir;
  }

  /** A corpus document. */
  public record Document(String id, String title, String text) {}

  /** Calls {@code consumer} for each corpus document, in file order. */
  public void forEachDocument(IOConsumer<Document> consumer) throws IOException {
    try (BufferedReader reader =
        Files.newBufferedReader(dir.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = parse(line, "corpus.jsonl", number);
        consumer.accept(
            new Document(
                node.path("_id").asText(),
                node.path("title").asText(""),
                node.path("text").asText("")));
      }
    }
  }

  /** Query texts by id. */
  public Map<String, String> queries() throws IOException {
    Map<String, String> queries = new HashMap<>();
    try (BufferedReader reader =
        Files.newBufferedReader(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (!line.isBlank()) {
          JsonNode node = parse(line, "queries.jsonl", number);
          queries.put(node.path("_id").asText(), node.path("text").asText());
        }
      }
    }
    return queries;
  }

  /** Relevance judgements of a split: query id to (document id to grade), in file order. */
  public Map<String, Map<String, Integer>> qrels(String split) throws IOException {
    Path file = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no qrels for split '" + split + "'");
    }
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String[] cols = lines.get(i).split("\t");
      if (cols.length < 3 || (i == 0 && !cols[2].trim().matches("-?\\d+"))) {
        continue; // the header line
      }
      int grade;
      try {
        grade = Integer.parseInt(cols[2].trim());
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + (i + 1) + ": grade is not a number: " + cols[2], e);
      }
      qrels.computeIfAbsent(cols[0], q -> new LinkedHashMap<>()).put(cols[1], grade);
    }
    return qrels;
  }

  private static JsonNode parse(String line, String file, int number) throws IOException {
    try {
      return BenchJson.mapper().readTree(line);
    } catch (IOException e) {
      throw new IOException(file + ":" + number + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A consumer that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IOConsumer<T> {
    void accept(T value) throws IOException;
  }
}
