package dev.quarry.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.bench.json.BenchJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A code-search evaluation set in the format of semble's benchmark: {@code repos/NAME/} (the
 * searched part of each repository), {@code repos.json} (each repository's language and the
 * published NDCG@10 of other tools) and {@code queries.jsonl} (a question about one repository and
 * the files, or line ranges, that answer it). Read whole and checked when opened: it is small.
 */
public final class CodeSearchDataset {
  private final Path dir;
  private final List<Repository> repositories;
  private final List<Query> queries;

  /** A repository of the set, as {@code repos.json} describes it. */
  public record Repository(String name, String language, Map<String, Double> published) {
    public Repository {
      published = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(published));
    }
  }

  /**
   * What answers a query: a file (path relative to the repository's top), or a line range of it.
   *
   * @param startLine first line, 1-based; 0 when the whole file is the answer
   * @param endLine last line, inclusive; 0 when the whole file is the answer
   */
  public record Target(String path, int startLine, int endLine) {
    public static Target file(String path) {
      return new Target(path, 0, 0);
    }

    public boolean hasLines() {
      return startLine > 0;
    }
  }

  /** A query with its targets: the relevant and the secondary ones alike (relevance 1). */
  public record Query(
      String id, String repo, String language, String category, String text, List<Target> targets) {
    public Query {
      targets = List.copyOf(targets);
    }
  }

  public CodeSearchDataset(Path dir) throws IOException {
    this.dir = dir;
    if (!isCodeSearch(dir)) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "not a code-search data set: needs queries.jsonl, repos.json and a repos/ folder");
    }
    this.repositories = readRepositories(dir.resolve("repos.json"));
    this.queries = readQueries(dir.resolve("queries.jsonl"), repositories);
  }

  /** Whether {@code dir} has the files of this format (the way {@code quarry eval} tells). */
  public static boolean isCodeSearch(Path dir) {
    return Files.isRegularFile(dir.resolve("queries.jsonl"))
        && Files.isRegularFile(dir.resolve("repos.json"))
        && Files.isDirectory(dir.resolve("repos"));
  }

  public Path directory() {
    return dir;
  }

  /** The repositories, in {@code repos.json} order. */
  public List<Repository> repositories() {
    return repositories;
  }

  /** The queries, in file order. */
  public List<Query> queries() {
    return queries;
  }

  /** The folder that is indexed for {@code repo}. */
  public Path root(Repository repo) {
    return dir.resolve("repos").resolve(repo.name());
  }

  /**
   * The repositories named, in {@code repos.json} order; all of them when {@code names} is empty.
   *
   * @throws IllegalArgumentException naming a repository the set lacks
   */
  public List<Repository> select(List<String> names) {
    if (names.isEmpty()) {
      return repositories;
    }
    for (String name : names) {
      if (repositories.stream().noneMatch(r -> r.name().equals(name))) {
        throw new IllegalArgumentException(
            "no repository '"
                + name
                + "' in "
                + dir.resolve("repos.json")
                + " (it has: "
                + String.join(", ", repositories.stream().map(Repository::name).toList())
                + ")");
      }
    }
    return repositories.stream().filter(r -> names.contains(r.name())).toList();
  }

  private static List<Repository> readRepositories(Path file) throws IOException {
    JsonNode root = parse(Files.readString(file, StandardCharsets.UTF_8), file, 0);
    if (!root.isArray()) {
      throw new IOException(file + ": expected a JSON array of repositories");
    }
    List<Repository> repos = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode node = root.get(i);
      String where = file + ": repository " + (i + 1);
      String name = text(node, "name", where);
      if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IOException(where + ": name '" + name + "' is not a plain folder name");
      }
      if (!Files.isDirectory(file.resolveSibling("repos").resolve(name))) {
        throw new IOException(where + ": repos/" + name + " is missing");
      }
      Map<String, Double> published = new LinkedHashMap<>();
      node.path("published_ndcg10")
          .properties()
          .forEach(
              e -> {
                if (e.getValue().isNumber()) {
                  published.put(e.getKey(), e.getValue().asDouble());
                }
              });
      repos.add(new Repository(name, text(node, "language", where), published));
    }
    return List.copyOf(repos);
  }

  private static List<Query> readQueries(Path file, List<Repository> repos) throws IOException {
    List<Query> queries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + ":" + number;
        JsonNode node = parse(line, file, number);
        String repo = text(node, "repo", where);
        if (repos.stream().noneMatch(r -> r.name().equals(repo))) {
          throw new IOException(where + ": repository '" + repo + "' is not in repos.json");
        }
        List<Target> targets = new ArrayList<>();
        for (String field : List.of("relevant", "secondary")) {
          for (JsonNode t : node.path(field)) {
            targets.add(target(t, where + " " + field));
          }
        }
        if (targets.isEmpty()) {
          throw new IOException(where + ": the query has no relevant or secondary target");
        }
        queries.add(
            new Query(
                text(node, "_id", where),
                repo,
                text(node, "language", where),
                text(node, "category", where),
                text(node, "text", where),
                targets));
      }
    }
    return List.copyOf(queries);
  }

  private static Target target(JsonNode node, String where) throws IOException {
    if (node.isTextual() && !node.asText().isBlank()) {
      return Target.file(node.asText());
    }
    if (node.isObject()) {
      String path = text(node, "path", where);
      if (!node.path("start_line").canConvertToInt() || !node.path("end_line").canConvertToInt()) {
        throw new IOException(where + ": target " + path + " needs start_line and end_line");
      }
      int start = node.path("start_line").asInt();
      int end = node.path("end_line").asInt();
      if (start < 1 || end < start) {
        throw new IOException(
            where + ": target " + path + " has a bad line range " + start + "-" + end);
      }
      return new Target(path, start, end);
    }
    throw new IOException(where + ": a target must be a path or {path, start_line, end_line}");
  }

  private static String text(JsonNode node, String field, String where) throws IOException {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IOException(where + ": '" + field + "' is missing or not a non-empty string");
    }
    return value.asText();
  }

  private static JsonNode parse(String text, Path file, int number) throws IOException {
    try {
      return BenchJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new IOException(
          file + (number > 0 ? ":" + number : "") + ": not valid JSON: " + e.getMessage(), e);
    }
  }
}
