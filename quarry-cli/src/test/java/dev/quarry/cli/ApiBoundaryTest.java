package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI reaches the engine only through its API: the {@code Quarry} facade and the packages whose
 * public types are what crosses the boundary (options, listeners, reports, search requests and
 * hits, the check report), plus a few named records of other packages. The stores, the cache, the
 * models, the scan and the index implementation are out of reach: what the CLI needs of them is an
 * operation of the facade. The server to come keeps the same rule.
 */
class ApiBoundaryTest {
  /** Packages the CLI may import from. */
  private static final Set<String> API_PACKAGES =
      Set.of(
          "dev.quarry", // the facade
          "dev.quarry.config", // settings, parsed once at the edge
          "dev.quarry.json", // the one mapper configuration, so the CLI reads and writes the same
          // JSON
          "dev.quarry.pipeline", // run options, listener, control and reports
          "dev.quarry.search", // search requests and hits
          "dev.quarry.check", // the check report
          "dev.quarry.bench", // tooling: the quarry-bench module, itself a client of the facade
          "dev.quarry.bench.json",
          "dev.quarry.eval");

  /** Single types of other packages that are part of the API. */
  private static final Set<String> API_TYPES =
      Set.of(
          "dev.quarry.store.IndexMissingException", // "no index here" is the user's to fix (exit 3)
          "dev.quarry.store.IndexBusyException", // another writer holds the index: try again later
          "dev.quarry.manifest.ManifestEntry", // what quarry files lists
          "dev.quarry.store.ManifestVisitor", // how quarry files receives them
          "dev.quarry.store.RemoteStore", // a store the facade opened (--store), to pass back
          "dev.quarry.embed.EmbedderSpec", // which embedder a run or a search uses
          "dev.quarry.chunk.ChunkerKind", // how files are cut into chunks (lines, syntax)
          "dev.quarry.cache.CacheSettings", // the cache a configuration names
          "dev.quarry.changes.ChangeRequest", // one entry of a change list, for sync
          "dev.quarry.serve.ServeOptions", // where serve listens and what it bounds
          "dev.quarry.serve.BearerToken", // the token serve demands, read at the edge
          "dev.quarry.server.SearchServer", // the search server, itself on top of the facade
          "dev.quarry.server.McpStdio", // the MCP server on stdio, over the same served session
          "dev.quarry.server.IndexSource", // where a served index is: a folder or a remote store
          "dev.quarry.server.ServerTelemetry", // the meters a server and its runs share
          "dev.quarry.watch.LiveIndex"); // the watch that keeps a served index live

  /** Engine libraries the CLI never touches: what it needs of them comes through the facade. */
  private static final Pattern ENGINE_LIBRARY = Pattern.compile("\\borg\\.apache\\.lucene\\.");

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?((dev\\.quarry(?:\\.[a-z]+)*)\\.[A-Z]\\w*)", Pattern.MULTILINE);

  @Test
  void theCliImportsOnlyTheApi() throws IOException {
    Path sources = Path.of("src/main/java");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        if (ENGINE_LIBRARY.matcher(text.replace("\"org.apache.lucene\"", "")).find()) {
          violations.add(file.getFileName() + " uses Lucene");
        }
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String type = m.group(1);
          String pkg = m.group(2);
          if (!pkg.equals("dev.quarry.cli")
              && !API_PACKAGES.contains(pkg)
              && !API_TYPES.contains(type)) {
            violations.add(file.getFileName() + " imports " + type);
          }
        }
      }
    }
    assertThat(violations).as("the CLI goes through the facade for these").isEmpty();
  }

  @Test
  void theRuleSeesImportsOutsideTheApi() {
    Matcher m = IMPORT.matcher("import dev.quarry.index.QuarryIndex;\n");
    assertThat(m.find()).isTrue();
    assertThat(API_PACKAGES).doesNotContain(m.group(2));
    assertThat(API_TYPES).doesNotContain(m.group(1));
  }
}
