package dev.quarry.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud for the tests: the quarry-solrcloud module's {@code SolrCloudMain} in a JVM of
 * its own (Solr 9 brings Lucene 9; this classpath has Lucene 10), two nodes on loopback, started
 * once for every test class of this JVM and stopped when it exits. Nodes can be stopped and
 * restarted through the cluster's control endpoint.
 */
public final class LocalSolrCloud {
  private static LocalSolrCloud shared;

  private final Process process;
  private final String solrUrl;
  private final String controlUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalSolrCloud(Process process, String solrUrl, String controlUrl) {
    this.process = process;
    this.solrUrl = solrUrl;
    this.controlUrl = controlUrl;
  }

  /** The shared cluster, started on first use. */
  public static synchronized LocalSolrCloud get() throws IOException {
    if (shared == null) {
      shared = start(2);
      LocalSolrCloud cluster = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
    }
    return shared;
  }

  /** The Solr base URL of node 0, {@code http://127.0.0.1:PORT/solr}. */
  public String solrUrl() {
    return solrUrl;
  }

  /** A store address of a collection in this cluster. */
  public String address(String collection, String options) {
    return solrUrl + "/" + collection + (options.isEmpty() ? "" : "?" + options);
  }

  static LocalSolrCloud start(int nodes) throws IOException {
    return start(nodes, List.of());
  }

  /**
   * A cluster of its own (stop it), keeping its data in {@code dir} with nodes from {@code port}
   * on: started again with the same two, it has the same nodes and collections.
   */
  static LocalSolrCloud start(int nodes, Path dir, int port) throws IOException {
    return start(nodes, List.of("--dir", dir.toString(), "--port", Integer.toString(port)));
  }

  private static LocalSolrCloud start(int nodes, List<String> options) throws IOException {
    Path classpath = Path.of("..", "quarry-solrcloud", "target", "solrcloud.classpath");
    if (!Files.isRegularFile(classpath)) {
      throw new IllegalStateException(
          classpath.toAbsolutePath().normalize()
              + " is missing: build the quarry-solrcloud module first (./run-tests builds it)");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(Files.readString(classpath).strip());
    command.add("dev.quarry.solrcloud.SolrCloudMain");
    command.add("--nodes");
    command.add(Integer.toString(nodes));
    command.addAll(options);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String control = null;
    String line;
    List<String> seen = new ArrayList<>();
    // SolrCloudMain prints SOLR_URL last, once every node is live; a dead JVM ends the stream.
    while ((line = out.readLine()) != null) {
      seen.add(line);
      if (line.startsWith("CONTROL_URL=")) {
        control = line.substring("CONTROL_URL=".length());
      }
      if (line.startsWith("SOLR_URL=")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return new LocalSolrCloud(process, line.substring("SOLR_URL=".length()), control);
      }
    }
    process.destroyForcibly();
    throw new IOException("the SolrCloud JVM ended before it was up: " + seen);
  }

  /** Stops node {@code i} and waits until it is down. */
  public void stopNode(int i) throws IOException, InterruptedException {
    control("stop?node=" + i);
  }

  /** Starts node {@code i} again on its port and waits until it is live. */
  public void startNode(int i) throws IOException, InterruptedException {
    control("start?node=" + i);
  }

  private void control(String action) throws IOException, InterruptedException {
    URI uri = URI.create(controlUrl.replaceAll("/$", "") + "/" + action);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(action + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Shuts the whole cluster down (ZooKeeper and every node) and waits for its JVM to end. */
  void stop() {
    try {
      control("shutdown");
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // fall through to the kill
    }
    process.destroyForcibly();
  }
}
