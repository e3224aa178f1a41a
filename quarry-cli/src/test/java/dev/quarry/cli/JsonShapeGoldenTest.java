package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json} output of each command keeps its keys and structure: a contract with scripts.
 * Each output is reduced to its shape (object keys, sorted; arrays as the set of their elements'
 * shapes; values as their JSON type) and compared with {@code src/test/resources/json-shapes/}.
 * Volatile values (timings, sizes, paths) do not matter; a key added, renamed or moved does. A
 * failure writes the actual shape under {@code target/json-shapes/} to compare or, for a deliberate
 * addition, to copy over the golden file.
 */
class JsonShapeGoldenTest {
  /**
   * Objects keyed by data (model ids, skip reasons, actions): their keys are not part of the shape.
   */
  private static final Set<String> DATA_KEYED =
      Set.of("entriesByModel", "skippedByReason", "counts");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<String> mismatches = new ArrayList<>();

  @TempDir Path work;
  Path tree;
  Path index;
  Path cache;

  @BeforeEach
  void indexedTree() throws Exception {
    tree = Files.createDirectories(work.resolve("tree"));
    index = work.resolve("index");
    cache = work.resolve("cache");
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(
        tree.resolve("src/Main.java"),
        "class Main {\n  // entry point\n  void launchRocket() {}\n}\n");
    Files.writeString(tree.resolve("README.md"), "# Rockets\n\nHow to launch a rocket safely.\n");
    Files.write(tree.resolve("logo.bin"), new byte[] {0, 1, 2, 3, 0, 0, (byte) 0xff, 0}); // skipped
    Files.writeString(
        tree.resolve("corrupt.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage"); // failed
  }

  private JsonNode run(String... args) throws IOException {
    QuarryCliTest.Run run = QuarryCliTest.quarry(args);
    // 1: a file failed (the corrupt PDF, there to give the failures their shape).
    assertThat(run.exit())
        .as(String.join(" ", args) + ": " + run.err())
        .isIn(ExitCodes.OK, ExitCodes.PARTIAL);
    return JSON.readTree(run.out());
  }

  private JsonNode sync(String changes, String... args) throws IOException {
    QuarryCliTest.Run run =
        SyncCommandTest.quarryWithInput(changes.getBytes(StandardCharsets.UTF_8), args);
    // 1: a file failed (the corrupt PDF, there to give the failures their shape).
    assertThat(run.exit())
        .as(String.join(" ", args) + ": " + run.err())
        .isIn(ExitCodes.OK, ExitCodes.PARTIAL);
    return JSON.readTree(run.out());
  }

  @Test
  void everyJsonOutputKeepsItsKeysAndStructure() throws Exception {
    String idx = index.toString();
    String cacheDir = cache.toString();
    assertShape(
        "index", run("index", tree.toString(), "--index", idx, "--cache-dir", cacheDir, "--json"));
    assertShape(
        "index-no-embed",
        run(
            "index",
            tree.toString(),
            "--index",
            work.resolve("lexical").toString(),
            "--no-embed",
            "--json"));

    Files.writeString(
        tree.resolve("README.md"), "# Rockets\n\nHow to launch a rocket safely, twice.\n");
    assertShape(
        "sync-dry-run",
        sync("README.md\n", "sync", "--stdin", "--dry-run", "--json", "--index", idx));
    assertShape("sync", sync("README.md\n", "sync", "--stdin", "--json", "--index", idx));
    Files.writeString(
        tree.resolve("src/Main.java"), "class Main {\n  void launchRocketAgain() {}\n}\n");
    assertShape(
        "sync-verbose", sync("src/Main.java\n", "sync", "--stdin", "--json", "-v", "--index", idx));

    assertShape("runs", run("runs", "--json", "--index", idx));
    assertShape("runs-last", run("runs", "--last", "--json", "--index", idx));
    assertShape("status", run("status", "--json", "--index", idx));
    assertShape(
        "status-no-embed", run("status", "--json", "--index", work.resolve("lexical").toString()));
    assertShape(
        "cache-stats", run("cache", "stats", "--json", "--cache-dir", cacheDir, "--index", idx));
    assertShape("search", run("search", "launch", "--mode", "lexical", "--json", "--index", idx));
    assertShape("files", run("files", "--json", "--index", idx));
    assertShape("check", run("check", "--json", "--index", idx));
    assertThat(mismatches)
        .as("outputs whose shape changed (actual shapes in target/json-shapes/)")
        .isEmpty();
  }

  private void assertShape(String name, JsonNode output) throws IOException {
    String actual = JSON.writeValueAsString(shape(output, ""));
    String golden;
    try (InputStream in = getClass().getResourceAsStream("/json-shapes/" + name + ".json")) {
      golden = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (golden == null || !JSON.readTree(golden).equals(JSON.readTree(actual))) {
      Path out = Path.of("target/json-shapes").resolve(name + ".json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual + "\n");
      mismatches.add(name + (golden == null ? " (no golden file)" : "") + ": " + actual);
    }
  }

  /**
   * The structure of {@code node}: keys sorted, arrays as their distinct element shapes, types for
   * values.
   */
  static JsonNode shape(JsonNode node, String key) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (node.isObject()) {
      ObjectNode out = f.objectNode();
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        fields.put(DATA_KEYED.contains(key) ? "*" : name, shape(node.get(name), name));
      }
      fields.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      TreeMap<String, JsonNode> distinct = new TreeMap<>();
      for (JsonNode element : node) {
        JsonNode s = shape(element, key);
        distinct.put(s.toString(), s);
      }
      ArrayNode out = f.arrayNode();
      distinct.values().forEach(out::add);
      return out;
    }
    return f.textNode(
        node.isNumber()
            ? "number"
            : node.isBoolean() ? "boolean" : node.isNull() ? "null" : "string");
  }

  @Test
  void theShapeIgnoresValuesAndOrderButNotKeys() throws Exception {
    JsonNode a =
        shape(
            JSON.readTree(
                "{\"b\":1.5,\"a\":[{\"x\":\"s\"},{\"x\":\"t\"}],\"counts\":{\"index\":1}}"),
            "");
    JsonNode b =
        shape(JSON.readTree("{\"a\":[{\"x\":\"u\"}],\"b\":3,\"counts\":{\"delete\":2}}"), "");
    JsonNode c = shape(JSON.readTree("{\"a\":[{\"y\":\"u\"}],\"b\":3,\"counts\":{}}"), "");
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }
}
