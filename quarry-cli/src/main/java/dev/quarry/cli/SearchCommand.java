package dev.quarry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.Quarry;
import dev.quarry.SearchSessionBuilder;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.embed.EmbedderSpec;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.SnippetLine;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "search",
    description = "Search the index (hybrid by default).",
    modelTransformer = SettingOptions.Install.class)
final class SearchCommand implements Callable<Integer>, SettingOptions.Taker {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "QUERY", arity = "1..*", description = "What to look for.")
  List<String> words;

  @Option(
      names = {"-k", "--limit"},
      paramLabel = "N",
      defaultValue = "10",
      description = "Hits to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "hybrid",
      converter = Choices.SearchModes.class,
      completionCandidates = Choices.SearchModes.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  SearchMode mode;

  @Option(
      names = "--path",
      paramLabel = "GLOB",
      description = "Only files matching this glob (e.g. 'src/**/*.java', '*.md').")
  String pathGlob;

  @Option(
      names = "--lang",
      paramLabel = "LANG",
      description = "Only this language (java, python, markdown, pdf, ...).")
  String language;

  /** Where query vectors come from. */
  private final SettingOptions settings = SettingOptions.of(Setting.EMBEDDER);

  @Mixin IndexLocation location;

  @Mixin JsonOption json;

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    SearchRequest request = request();
    QuarryConfig config = settings.load(System.getenv());
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get();
          Quarry.SearchSession session =
              open(Quarry.search(store), store.location(), config.embedder())) {
        print(request, session.searcher().search(request));
      }
      return ExitCodes.OK;
    }
    Path index = location.locate();
    Optional<List<SearchHit>> served = askServer(index, config, request);
    if (served.isPresent()) {
      print(request, served.get());
      return ExitCodes.OK;
    }
    try (Quarry.SearchSession session =
        open(Quarry.search(index), index.toString(), config.embedder())) {
      print(request, session.searcher().search(request));
    }
    return ExitCodes.OK;
  }

  /**
   * The index opened for search in {@code mode}. A remote embedder whose model is not the one the
   * index's vectors came from is the user's choice to fix (openForSearch says so with an
   * IllegalArgumentException, its only one once the embedder is parsed); so is a semantic search of
   * an index without vectors.
   */
  private Quarry.SearchSession open(
      SearchSessionBuilder builder, String index, EmbedderSpec embedder) throws IOException {
    Quarry.SearchSession session;
    try {
      session = builder.embedder(embedder).withModel(mode != SearchMode.LEXICAL).open();
    } catch (IllegalArgumentException e) {
      if (embedder instanceof EmbedderSpec.OpenAi) {
        throw new UsageException(e.getMessage(), e);
      }
      throw e;
    }
    try {
      if (mode != SearchMode.LEXICAL && !session.hasModel()) {
        if (!session.hasCommits()) {
          // (A first run still writing it was named when the session opened.)
          throw new UsageException(
              "the index at "
                  + index
                  + " holds nothing yet (no run has committed to it): run 'quarry index ROOT'");
        }
        throw new UsageException(
            "the index at "
                + index
                + " has no vectors (indexed with --no-embed): "
                + "use --mode lexical, or run 'quarry index' without --no-embed");
      }
      return session;
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void print(SearchRequest request, List<SearchHit> hits) {
    PrintWriter out = spec.commandLine().getOut();
    if (json.enabled) {
      out.println(Json.write(toJson(request, hits)));
    } else {
      print(out, hits, Terminal.isInteractive());
    }
  }

  /** The most hits a server gives at once; a larger -k is searched here. */
  private static final int SERVER_MAX_K = 100;

  /**
   * The hits from the {@code quarry serve} that keeps this index open, when one does (found from
   * the index folder) and it embeds queries as this search would (the local model); empty when none
   * answers, and this process searches itself.
   */
  private static Optional<List<SearchHit>> askServer(
      Path index, QuarryConfig config, SearchRequest request) throws IOException {
    if (!(config.embedder() instanceof EmbedderSpec.Local) || request.limit() > SERVER_MAX_K) {
      return Optional.empty();
    }
    Optional<java.net.URI> server = ServerClient.of(index);
    if (server.isEmpty()) {
      return Optional.empty();
    }
    return ServerSearch.search(server.get(), request);
  }

  /** The request the flags describe; SearchRequest checks them (the query, -k, the --path glob). */
  private SearchRequest request() {
    try {
      return new SearchRequest(
          String.join(" ", words),
          limit,
          mode,
          Optional.ofNullable(pathGlob),
          Optional.ofNullable(language));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** What {@code search --json} prints. */
  record SearchOutput(String query, String mode, List<Hit> hits) {}

  /**
   * One hit of {@code search --json}.
   *
   * @param page the PDF page; null (left out) for other files
   * @param context the heading or declaration the chunk is under; null (left out) when none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Hit(
      String path,
      String file,
      String language,
      int startLine,
      int endLine,
      Integer page,
      double score,
      boolean stale,
      String context,
      List<Line> snippet,
      String text) {}

  /** A line of a hit's snippet, with its number in the file. */
  record Line(int line, String text) {}

  private static SearchOutput toJson(SearchRequest request, List<SearchHit> hits) {
    List<Hit> out =
        hits.stream()
            .map(
                h ->
                    new Hit(
                        h.path(),
                        h.file(),
                        h.language(),
                        h.startLine(),
                        h.endLine(),
                        h.page() > 0 ? h.page() : null,
                        h.score(),
                        h.stale(),
                        h.context().isEmpty() ? null : h.context(),
                        h.snippet().stream().map(l -> new Line(l.number(), l.text())).toList(),
                        h.text()))
            .toList();
    return new SearchOutput(
        request.query(), request.mode().name().toLowerCase(java.util.Locale.ROOT), out);
  }

  static void print(PrintWriter out, List<SearchHit> hits, boolean ansi) {
    if (hits.isEmpty()) {
      out.println("no hits");
      return;
    }
    for (SearchHit h : hits) {
      String where =
          TerminalText.safe(h.path())
              + ":"
              + h.startLine()
              + "-"
              + h.endLine()
              + (h.page() > 0 ? " (page " + h.page() + ")" : "");
      out.printf(
          "%s  %s%s%n",
          Terminal.bold(where, ansi),
          Terminal.dim(String.format("%.4f", h.score()), ansi),
          h.stale() ? "  [stale: changed on disk since indexed]" : "");
      for (SnippetLine line : h.snippet()) {
        out.printf("  %5d  %s%n", line.number(), mark(line, ansi));
      }
      out.println();
    }
  }

  /** Characters of a line a snippet shows; longer lines are cut. */
  private static final int SNIPPET_LINE_CHARS = 200;

  /**
   * The line with matched terms in bold on a terminal, in [brackets] otherwise; the file's text
   * made safe to print, piece by piece, so only the marks' own escapes reach the terminal. Cut
   * before marking, so a cut never splits a mark or an escape.
   */
  private static String mark(SnippetLine line, boolean ansi) {
    StringBuilder s = new StringBuilder();
    int at = 0;
    boolean cut = line.text().length() > SNIPPET_LINE_CHARS;
    String text = cut ? line.text().substring(0, SNIPPET_LINE_CHARS) : line.text();
    for (int[] m : line.matches()) {
      if (m[0] < at || m[1] > text.length()) {
        continue;
      }
      s.append(shown(text.substring(at, m[0])));
      String word = shown(text.substring(m[0], m[1]));
      s.append(ansi ? Terminal.bold(word, true) : "[" + word + "]");
      at = m[1];
    }
    s.append(shown(text.substring(at)));
    return cut ? s + "…" : s.toString();
  }

  /** A piece of a snippet line as printed: tabs as spaces (the line is indented), no controls. */
  private static String shown(String text) {
    return TerminalText.safe(text.replace('\t', ' '));
  }
}
