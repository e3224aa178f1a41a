package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.BearerToken;
import dev.quarry.serve.ServeOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser: headless Chromium (Debian's {@code chromium}, which {@code
 * ./run-tests} installs when missing) loads it from a real server, runs its script, and the test
 * reads the DOM it built. Chromium's virtual time lets the page's requests and timers finish before
 * the DOM is written, without waiting on the wall clock.
 */
class WebPageBrowserTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path tmp;
  private SearchServer server;
  private ServerTelemetry telemetry;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (telemetry != null) {
      telemetry.close();
    }
  }

  private Path tree() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("tree")).toRealPath();
    Files.writeString(
        root.resolve("retry.md"),
        "# Retry policy\n\nFailed uploads are retried with exponential backoff.\n");
    Files.writeString(
        root.resolve("Backoff.java"),
        "class Backoff {\n  long delay(int attempt) { return 100L << attempt; } // backoff\n}\n");
    Files.writeString(
        root.resolve("evil.md"), "# Evil\n\n<script>document.title='pwned'</script> backoff\n");
    return root;
  }

  private SearchServer start(Path root, ServeOptions options, RunGate gate) throws Exception {
    Path indexDir = tmp.resolve("index");
    telemetry = ServerTelemetry.create();
    IndexOptions runOptions =
        IndexOptions.of(
                List.of(root),
                indexDir,
                ScanOptions.defaults().withExcludedDirectory(indexDir),
                false,
                EmbeddingModels.DEFAULT)
            .withWorkers(1);
    ServerTelemetry runs = telemetry;
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                options,
                () -> Quarry.search(indexDir).withModel(false).open(),
                Optional.of(
                    control ->
                        runs.observe(Quarry.run(runOptions))
                            .listener(gate)
                            .control(control)
                            .index()),
                true,
                Optional.empty(),
                Optional.of(telemetry)));
    return server;
  }

  @Test
  void aSharedSearchLinkShowsHitsGroupedByFileWithMarkedTermsAndEscapedText() throws Exception {
    start(tree(), ServeOptions.loopback(0), new RunGate());
    server.awaitReconcile(PATIENCE);

    String dom = browse("/?q=backoff&mode=lexical");

    assertThat(dom).contains("data-ready-ms=");
    assertThat(dom).contains("<form id=\"token-form\" hidden=\"\">"); // no token asked for
    assertThat(section(dom, "summary")).contains("3 hits in 3 files (lexical");
    assertThat(dom).contains("<h2>Backoff.java<span class=\"lang\">java</span></h2>");
    assertThat(dom).contains("<h2>retry.md<span class=\"lang\">markdown</span></h2>");
    assertThat(dom).containsPattern("<span class=\"n\">2</span>.*<mark>backoff</mark>");
    // The file's markup is its text: escaped in the DOM, never run (the title is the page's).
    assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
    assertThat(dom).contains("<title>Quarry</title>").doesNotContain("pwned</title>");
    assertThat(readyMs(dom)).isLessThan(PATIENCE.toMillis());
  }

  @Test
  void theDashboardShowsTheRunInProgressAndDrawsItsCharts() throws Exception {
    RunGate gate = new RunGate();
    gate.arm(); // the start-up reconcile stops after its first file, until the page has looked
    start(tree(), ServeOptions.loopback(0), gate);
    assertThat(gate.reached.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    try {
      String dom = browse("/#dashboard");

      assertThat(dom).contains("data-ready-ms=");
      assertThat(section(dom, "run"))
          .contains("Run in progress: index, files complete (chunks and vectors in): 1 of ")
          .contains(" chunks written, ");
      assertThat(dom).contains("class=\"run active\"");
      // Four uPlot charts, each drawn on a canvas, with the series the page gave them.
      assertThat(count(dom, "class=\"uplot")).isEqualTo(4);
      assertThat(count(dom, "<canvas")).isEqualTo(4);
      assertThat(dom).contains("chunks written").contains("p95").contains(">embed<");
    } finally {
      gate.open();
    }
    server.awaitReconcile(PATIENCE);
    assertThat(section(browse("/#dashboard"), "run")).contains("No run in progress.");
  }

  @Test
  @Tag("hostile")
  void withATokenThePageLoadsButItsDataWaitsForTheToken() throws Exception {
    start(
        tree(),
        ServeOptions.of(new java.net.InetSocketAddress("127.0.0.1", 0))
            .withToken(BearerToken.of("browser-test-token")),
        new RunGate());
    server.awaitReconcile(PATIENCE);

    String dom = browse("/?q=backoff");

    assertThat(dom).contains("<form id=\"token-form\">"); // shown: no longer hidden
    assertThat(section(dom, "results")).doesNotContain("Backoff.java");
    HttpResponse<String> page =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
    assertThat(
            HTTP.send(
                    HttpRequest.newBuilder(server.baseUri().resolve("/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
  }

  /** The DOM headless Chromium builds from {@code pathAndQuery}, after 10 s of virtual time. */
  private String browse(String pathAndQuery) throws Exception {
    String chromium = chromium();
    Path profile = Files.createTempDirectory(tmp, "chromium-");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox", // tests run as root in CI containers
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000",
                "--dump-dom",
                server.baseUri().resolve(pathAndQuery).toString()));
    Path out = tmp.resolve("dom.html");
    Path err = tmp.resolve("chromium.log");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + Files.readString(err));
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(dom).as(Files.readString(err)).contains("<html");
    return dom;
  }

  private static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new AssertionError(
        "headless Chromium is needed to test the web page; ./run-tests installs Debian's"
            + " chromium when it is missing");
  }

  /** The element with {@code id} and what follows it, up to the next section. */
  private static String section(String dom, String id) {
    int start = dom.indexOf("id=\"" + id + "\"");
    assertThat(start).as("#%s in%n%s", id, dom).isNotNegative();
    int end = dom.indexOf("</section>", start);
    return dom.substring(start, end < 0 ? dom.length() : end);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static long readyMs(String dom) {
    Matcher m = Pattern.compile("data-ready-ms=\"(\\d+)\"").matcher(dom);
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }
}
