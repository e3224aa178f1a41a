package dev.quarry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.IndexStatus;
import dev.quarry.Quarry;
import dev.quarry.pipeline.RunProgress;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.Searcher;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStats;
import dev.quarry.watch.LiveIndex;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The MCP tools over the live index, {@code search}, {@code read} and {@code status}, for both
 * transports (stdio, {@link McpStdio}; HTTP, {@link McpRoute}).
 *
 * <p>No call waits for indexing: searches read the last commit (refreshed as {@code /v1/search}
 * does), and every answer says how much of the tree that commit covers, so an agent knows when "no
 * hits" may only mean "not indexed yet". Every failure is an answer with {@code isError} and a
 * sentence naming the argument at fault, never a protocol error: agents show the first and often
 * drop the second. Schemas use plain types only (one widely used client rejects unions).
 */
final class McpTools {
  /** What the tools read from. */
  record Context(
      ServedSession session,
      IndexSource index,
      Supplier<List<Path>> configuredRoots,
      Supplier<Optional<LiveIndex.Status>> watch,
      Supplier<Optional<RunProgress.Snapshot>> runInProgress,
      int answerTokens) {}

  /**
   * Hits every page's search asks for at least: from there on, the searcher's candidate pool (ten
   * times the hits for file reranking, capped at 300) no longer depends on it.
   */
  static final int PAGE_DEPTH = 100;

  /** Lines a read gives when the call names no end. */
  static final int DEFAULT_READ_LINES = 200;

  static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

  private static final String SEARCH_SCHEMA =
      """
      {"type": "object",
       "properties": {
        "query": {"type": "string", "description": "What to find: words, a symbol name such as parseConfig or HttpClient.send, or a question in plain language."},
        "mode": {"type": "string", "enum": ["hybrid", "lexical", "semantic"], "description": "hybrid (the default when the index has vectors) suits most queries; lexical matches exact words and symbols; semantic matches meaning when the words differ."},
        "k": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Hits per page, at most (default 10). A page also stops at its size budget."},
        "path": {"type": "string", "description": "Only files whose path relative to its root matches this glob, e.g. src/**/*.java or docs/**"},
        "language": {"type": "string", "description": "Only files of this language, e.g. java, python, typescript, markdown, pdf."},
        "cursor": {"type": "string", "description": "The cursor the previous page ended with, to get the next page. Give it with the same query and filters."},
        "max_tokens": {"type": "integer", "minimum": 500, "description": "A smaller size budget for this answer, in tokens (the server's is the most)."}
       },
       "required": ["query"],
       "additionalProperties": false}
      """;

  private static final String READ_SCHEMA =
      """
      {"type": "object",
       "properties": {
        "path": {"type": "string", "description": "The file: a path as search gives it (relative to its root), or an absolute path inside an indexed root."},
        "start_line": {"type": "integer", "minimum": 1, "description": "First line to read (default 1)."},
        "end_line": {"type": "integer", "minimum": 1, "description": "Last line to read (default start_line + 199). The answer stops earlier at its size budget and says where to go on."},
        "max_tokens": {"type": "integer", "minimum": 500, "description": "A smaller size budget for this answer, in tokens (the server's is the most)."}
       },
       "required": ["path"],
       "additionalProperties": false}
      """;

  private static final String STATUS_SCHEMA =
      """
      {"type": "object", "properties": {}, "additionalProperties": false}
      """;

  private final Context context;
  private final RootFiles files;

  McpTools(Context context) {
    this.context = context;
    this.files = new RootFiles(this::roots, context.index().folder());
  }

  /** Instructions a client shows its model once, at connection. */
  static final String INSTRUCTIONS =
      "Quarry keeps a search index of local files (code, docs, PDFs) in sync with the disk. Use"
          + " 'search' to find where something is defined, used or explained (symbols, words or"
          + " questions), then 'read' for more lines of a file. Answers are bounded; a cursor gives"
          + " the next page. 'status' says how much of the tree is indexed and embedded now.";

  private McpSchema.Tool searchTool() {
    return McpSchema.Tool.builder("search", JSON, SEARCH_SCHEMA)
        .title("Search the indexed files")
        .description(
            "Search the indexed files (code, docs, PDFs) and get the best-matching passages: path,"
                + " line range, score and text. Use it first to find where something is defined,"
                + " used or explained; then 'read' for more of a file. An answer holds about "
                + context.answerTokens()
                + " tokens at most; when more hits are left it ends with a cursor for the next"
                + " page. Answers come from what is indexed now and say how much that covers.")
        .annotations(readOnly("Search the indexed files"))
        .build();
  }

  private McpSchema.Tool readTool() {
    return McpSchema.Tool.builder("read", JSON, READ_SCHEMA)
        .title("Read lines of an indexed file")
        .description(
            "Read numbered lines of a file inside the indexed roots, e.g. the lines around a"
                + " search hit. Paths outside the roots (absolute ones elsewhere, '..', links"
                + " that lead out) are refused.")
        .annotations(readOnly("Read lines of an indexed file"))
        .build();
  }

  private McpSchema.Tool statusTool() {
    return McpSchema.Tool.builder("status", JSON, STATUS_SCHEMA)
        .title("What the index covers now")
        .description(
            "How much of the tree is indexed now: files, chunks, the share with vectors (semantic"
                + " search covers only those), changes on disk not yet indexed, and the run in"
                + " progress. Use it when results look incomplete or stale.")
        .annotations(readOnly("What the index covers now"))
        .build();
  }

  private static McpSchema.ToolAnnotations readOnly(String title) {
    return new McpSchema.ToolAnnotations(title, true, false, true, false, null);
  }

  /** The tools for a session-holding server (stdio). */
  List<McpServerFeatures.SyncToolSpecification> forSessions() {
    return List.of(
        forSession(searchTool(), this::search),
        forSession(readTool(), this::read),
        forSession(statusTool(), args -> status()));
  }

  /** The tools for a stateless server (HTTP). */
  List<McpStatelessServerFeatures.SyncToolSpecification> stateless() {
    return List.of(
        stateless(searchTool(), this::search),
        stateless(readTool(), this::read),
        stateless(statusTool(), args -> status()));
  }

  private static McpServerFeatures.SyncToolSpecification forSession(
      McpSchema.Tool tool, Function<Map<String, Object>, CallToolResult> call) {
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> guarded(call, request.arguments()))
        .build();
  }

  private static McpStatelessServerFeatures.SyncToolSpecification stateless(
      McpSchema.Tool tool, Function<Map<String, Object>, CallToolResult> call) {
    return McpStatelessServerFeatures.SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((transport, request) -> guarded(call, request.arguments()))
        .build();
  }

  /** Any failure is the tool's answer (isError), never a protocol error. */
  private static CallToolResult guarded(
      Function<Map<String, Object>, CallToolResult> call, Map<String, Object> arguments) {
    try {
      return call.apply(arguments == null ? Map.of() : arguments);
    } catch (HttpError e) {
      return error(e.getMessage());
    } catch (RuntimeException e) {
      return error("internal error: " + e);
    }
  }

  static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).build();
  }

  // ---- search

  CallToolResult search(Map<String, Object> args) {
    Quarry.SearchSession open = requireSession();
    SearchMode defaultMode = open.hasModel() ? SearchMode.HYBRID : SearchMode.LEXICAL;
    SearchQuery asked =
        SearchQuery.parse(
            string(args, "query"),
            string(args, "k"),
            string(args, "mode"),
            string(args, "path"),
            string(args, "language"),
            null,
            defaultMode);
    if (asked.k() > 50) {
      return error("'k' must be between 1 and 50, got " + asked.k());
    }
    String fingerprint = SearchPages.fingerprint(asked);
    String cursor = string(args, "cursor");
    int offset;
    try {
      offset = cursor == null || cursor.isBlank() ? 0 : SearchPages.offsetOf(cursor, fingerprint);
    } catch (IllegalArgumentException e) {
      return error(e.getMessage());
    }
    if (offset > SearchQuery.MAX_OFFSET) {
      return error("no more pages: the cursor is past the " + SearchQuery.MAX_OFFSET + "th hit");
    }
    if (asked.mode() != SearchMode.LEXICAL && !open.hasModel()) {
      return error(
          asked.modeName()
              + " search needs vectors, and this index has none"
              + (context.runInProgress().get().isPresent() ? " yet" : "")
              + "; use mode lexical");
    }
    int budget = budgetTokens(args);
    // Every page of a search reads the same ranking: the searcher's candidate pool grows with the
    // hits asked for until PAGE_DEPTH, so pages cut from searches of different depths could repeat
    // or skip a hit. One hit more than the page says whether a next page exists.
    int depth = Math.max(PAGE_DEPTH, offset + asked.k() + 1);
    SearchQuery query =
        new SearchQuery(
            asked.q(), depth - offset, asked.mode(), asked.path(), asked.lang(), offset);
    Searcher.Answer found;
    IndexStats stats;
    try {
      context.session().generation(open); // sees the last commit (at most 100 ms late)
      found = context.session().searcher().answer(query.request());
      stats = open.store().stats();
    } catch (IOException e) {
      return error("the search failed: " + e.getMessage());
    }
    List<SearchHit> hits =
        found.hits().subList(Math.min(offset, found.hits().size()), found.hits().size());
    String coverage = coverage(stats, open.hasModel());
    int room = SearchPages.chars(budget) - coverage.length() - 400; // header and footer lines
    SearchPages.Page page =
        SearchPages.layOut(hits, offset, asked.k(), hits.size() > asked.k(), Math.max(room, 600));
    StringBuilder out = new StringBuilder(coverage).append('\n');
    if (page.shown().isEmpty()) {
      out.append(offset == 0 ? "No hits for " : "No more hits for ")
          .append(quoted(asked.q()))
          .append(" (")
          .append(asked.modeName())
          .append(filters(asked))
          .append(").");
      if (offset == 0) {
        out.append(
            " Try other words, a shorter query, mode "
                + (asked.mode() == SearchMode.LEXICAL ? "hybrid or semantic" : "lexical")
                + ", or fewer filters.");
      }
      return text(out.toString());
    }
    out.append("Hits ")
        .append(offset + 1)
        .append('-')
        .append(offset + page.shown().size())
        .append(" for ")
        .append(quoted(asked.q()))
        .append(" (")
        .append(asked.modeName())
        .append(filters(asked))
        .append("):\n\n");
    for (String block : page.shown()) {
      out.append(block).append('\n');
    }
    if (page.next() >= 0 && page.next() <= SearchQuery.MAX_OFFSET) {
      out.append("More hits: call search again with the same arguments and cursor \"")
          .append(SearchPages.cursor(page.next(), fingerprint))
          .append("\".");
    } else {
      out.append("No more hits.");
    }
    return text(out.toString());
  }

  private static String filters(SearchQuery query) {
    return (query.path() == null ? "" : ", path " + query.path())
        + (query.lang() == null ? "" : ", language " + query.lang());
  }

  /** The answer's first line: what the commit it read covers, and whether indexing goes on. */
  private String coverage(IndexStats stats, boolean hasModel) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT, "Index: %,d files, %,d chunks", stats.files(), stats.chunks()));
    if (hasModel && stats.chunks() > 0) {
      double share = (double) stats.vectors() / stats.chunks();
      line.append(String.format(Locale.ROOT, ", %.0f%% with vectors", 100 * share));
      if (share < 1) {
        line.append(" (semantic matches cover only those)");
      }
    } else if (!hasModel) {
      line.append(", no vectors (lexical search)");
    }
    Optional<RunProgress.Snapshot> run = context.runInProgress().get();
    if (run.isPresent()) {
      RunProgress.Snapshot r = run.get();
      line.append(
          String.format(
              Locale.ROOT,
              ". Indexing now (%,d of %,d%s files complete): answers come from"
                  + " what it has committed so far",
              r.filesDone(),
              r.filesFound(),
              r.walkEnded() ? "" : "+"));
    }
    return line.append('.').toString();
  }

  // ---- read

  CallToolResult read(Map<String, Object> args) {
    int first = integer(args, "start_line", 1);
    int last = integer(args, "end_line", first + DEFAULT_READ_LINES - 1);
    int budget = budgetTokens(args);
    RootFiles.Lines lines;
    try {
      lines = files.read(string(args, "path"), first, last, SearchPages.chars(budget) - 300);
    } catch (RootFiles.Refused e) {
      return error(e.getMessage());
    } catch (IOException e) {
      return error("cannot read " + string(args, "path") + ": " + e.getMessage());
    }
    int width = String.valueOf(Math.max(1, lines.last())).length();
    StringBuilder out = new StringBuilder();
    out.append(lines.shown())
        .append(", lines ")
        .append(lines.first())
        .append('-')
        .append(lines.last());
    out.append(":\n");
    int number = lines.first();
    for (String line : lines.lines()) {
      out.append(String.format(Locale.ROOT, "%" + width + "d | ", number++))
          .append(line)
          .append('\n');
    }
    if (lines.endOfFile()) {
      out.append("(end of file)");
    } else if (lines.last() < last) {
      out.append("More: read again with start_line ")
          .append(lines.last() + 1)
          .append(" (this answer reached its size budget).");
    } else {
      out.append("(the file goes on after line ").append(lines.last()).append(')');
    }
    return text(out.toString());
  }

  // ---- status

  CallToolResult status() {
    List<String> lines = new ArrayList<>();
    Optional<RunProgress.Snapshot> run = context.runInProgress().get();
    if (!exists()) {
      lines.add("Index: " + context.index().location() + ", nothing committed yet.");
    } else {
      IndexStatus status;
      try {
        status = context.index().status();
      } catch (IOException e) {
        return error("cannot read the index's status: " + e.getMessage());
      }
      lines.add("Index: " + status.index());
      lines.add("Roots: " + String.join(", ", status.roots()));
      if (!status.missingRoots().isEmpty()) {
        lines.add(
            "Roots gone from disk (their files stay indexed): "
                + String.join(", ", status.missingRoots()));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "Files: %,d; chunks: %,d; with vectors: %,d (%.1f%%)%s",
              status.files(),
              status.chunks(),
              status.vectors(),
              100 * status.vectorCoverage(),
              status.model() == null ? ", no model (lexical only)" : ", model " + status.model()));
      if (status.lastRun() != null) {
        lines.add(
            "Last run: "
                + status.lastRun().kind()
                + ", "
                + status.lastRun().status().name().toLowerCase(Locale.ROOT)
                + ", started "
                + status.lastRun().startedAt());
      }
    }
    Optional<LiveIndex.Status> watch = context.watch().get();
    if (watch.isEmpty()) {
      lines.add("Changes on disk: not watched (a reconcile picks them up).");
    } else {
      LiveIndex.Status w = watch.get();
      lines.add(
          String.format(
              Locale.ROOT,
              "Changes on disk not yet indexed: %,d path%s%s (watching %,d folders)%s",
              w.pendingPaths(),
              w.pendingPaths() == 1 ? "" : "s",
              w.pendingReconcile() == null
                  ? ""
                  : "; a full reconcile is due (" + w.pendingReconcile() + ")",
              w.watchedDirectories(),
              w.problem() == null ? "" : "; problem: " + w.problem()));
    }
    if (run.isPresent()) {
      RunProgress.Snapshot r = run.get();
      lines.add(
          String.format(
              Locale.ROOT,
              "Run in progress: %s, %.0f s; files complete (chunks and vectors in): %,d of %,d%s (%,d"
                  + " indexed, %,d unchanged, %,d failed); chunks embedded: %,d, waiting for"
                  + " vectors: %,d",
              r.kind(),
              r.elapsedSeconds(),
              r.filesDone(),
              r.filesFound(),
              r.walkEnded() ? "" : "+",
              r.indexed(),
              r.unchanged(),
              r.failed(),
              r.chunksEmbedded(),
              r.embedBacklog()));
    } else {
      lines.add("Run in progress: none.");
    }
    return text(String.join("\n", lines));
  }

  // ---- helpers

  private Quarry.SearchSession requireSession() {
    Quarry.SearchSession open = context.session().openIfDue();
    if (open == null) {
      String why = context.session().whyNotOpen();
      throw new HttpError(
          503,
          "the index is not searchable yet: its first run has committed nothing"
              + (context.runInProgress().get().isPresent()
                  ? " (indexing now; try again in a few seconds)"
                  : "")
              + (why == null ? "" : ". " + why));
    }
    return open;
  }

  private boolean exists() {
    try {
      return context.index().exists();
    } catch (IOException e) {
      return false; // a remote store out of reach: nothing to show of it
    }
  }

  /**
   * The roots the index records, or the configured ones before its first commit. A remote store's
   * index may record other machines' roots too: only the configured ones (this command's) are read.
   */
  private List<Path> roots() {
    Quarry.SearchSession open = context.session().current();
    if (open != null && context.index().folder().isPresent()) {
      try {
        List<String> recorded = IndexMetadata.roots(open.store().commitData());
        if (!recorded.isEmpty()) {
          return recorded.stream().map(Path::of).toList();
        }
      } catch (IOException e) {
        // The configured roots below.
      }
    }
    return context.configuredRoots().get();
  }

  private int budgetTokens(Map<String, Object> args) {
    int asked = integer(args, "max_tokens", context.answerTokens());
    return Math.max(500, Math.min(asked, context.answerTokens()));
  }

  private static String string(Map<String, Object> args, String name) {
    Object value = args.get(name);
    return value == null ? null : String.valueOf(value);
  }

  private static int integer(Map<String, Object> args, String name, int absent) {
    Object value = args.get(name);
    if (value == null) {
      return absent;
    }
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number.longValue()));
    }
    throw new HttpError(400, "'" + name + "' must be a whole number, got " + value);
  }

  private static String quoted(String text) {
    return '"' + text + '"';
  }
}
