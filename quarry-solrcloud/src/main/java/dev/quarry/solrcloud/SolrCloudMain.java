package dev.quarry.solrcloud;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs a local SolrCloud cluster: an embedded ZooKeeper and N Solr 9 nodes, all on 127.0.0.1, for
 * users ({@code scripts/solrcloud start}) and for tests that need a real cluster.
 *
 * <pre>
 * java -cp "$(cat quarry-solrcloud/target/solrcloud.classpath)" dev.quarry.solrcloud.SolrCloudMain \
 *     [--nodes N] [--port P] [--dir D]
 * </pre>
 *
 * <ul>
 *   <li>{@code --nodes N}: number of Solr nodes, 1 by default;
 *   <li>{@code --port P}: 0 (the default) for free ports, else the nodes listen on P..P+N-1, and a
 *       restart with the same {@code --dir} finds its collections again (a node's name is its
 *       port);
 *   <li>{@code --dir D}: the cluster's data (ZooKeeper's, the nodes', Solr's log in {@code logs/});
 *       by default a new temporary directory, deleted when the JVM exits.
 * </ul>
 *
 * <p>It runs in its own JVM because Solr 9.10.1 (Lucene 9.12, SolrJ 9, Jetty 10, log4j, junit 4)
 * cannot share a class path with Quarry (Lucene 10); clients talk to it over HTTP only.
 *
 * <p>Once every node is live, stdout gets, in this order and nothing else: {@code NODE_<i>=<base
 * url> name=<node name>} per node, {@code ZK_HOST=}, {@code PID=}, {@code CONTROL_URL=} (see {@link
 * ControlServer}) and last {@code SOLR_URL=} (node 0's base URL, {@code
 * http://127.0.0.1:PORT/solr}), so a caller reads lines until {@code SOLR_URL=}. Solr's own logging
 * goes to {@code D/logs/solr.log} at WARN (see log4j2.xml), never to stdout.
 *
 * <p>The cluster is also driven by stdin lines {@code stop I}, {@code start I} and {@code shutdown}
 * (for a test that spawned the JVM; each answer is one more line on stdout). At the end of stdin it
 * keeps serving: a background run has no stdin. SIGTERM shuts the cluster down cleanly.
 */
public final class SolrCloudMain {
  private static final String USAGE =
      "usage: SolrCloudMain [--nodes N] [--port P] [--dir D]\n"
          + "  --nodes N  Solr nodes (default 1)\n"
          + "  --port P   0 = free ports (default); else nodes on P..P+N-1, and a restart with the"
          + " same --dir keeps the collections\n"
          + "  --dir D    the cluster's data (default: a temporary directory, deleted on exit)\n";

  private static volatile LocalCluster running;

  private SolrCloudMain() {}

  public static void main(String[] args) throws Exception {
    int nodes = 1;
    int basePort = 0;
    Path dir = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--nodes" -> nodes = number(args, ++i);
          case "--port" -> basePort = number(args, ++i);
          case "--dir" -> dir = Path.of(value(args, ++i));
          case "-h", "--help" -> {
            System.out.print(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (nodes < 1 || basePort < 0 || basePort + nodes - 1 > 65535) {
        throw new IllegalArgumentException("--nodes must be 1 or more, --port 0 or a free range");
      }
      LocalCluster.check(dir, basePort, nodes);
    } catch (IllegalArgumentException e) {
      System.err.print("solrcloud: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }

    boolean temporary = dir == null;
    Path base = temporary ? Files.createTempDirectory("quarry-solrcloud") : dir.toAbsolutePath();
    Files.createDirectories(base);
    configure(base);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> shutdown(temporary ? base : null), "solrcloud-stop"));

    long t0 = System.nanoTime();
    LocalCluster cluster;
    try {
      cluster = LocalCluster.start(nodes, basePort, base);
    } catch (Exception e) {
      System.err.println("solrcloud: the cluster did not start: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    running = cluster;
    ControlServer control = ControlServer.start(cluster, SolrCloudMain::exitSoon);
    System.err.printf(
        "solrcloud: %d node(s) up in %d ms, data in %s, Solr's log in %s%n",
        nodes,
        (System.nanoTime() - t0) / 1_000_000,
        base,
        Path.of(System.getProperty("solr.log.dir"), "solr.log"));

    for (int i = 0; i < cluster.size(); i++) {
      System.out.println("NODE_" + i + "=" + cluster.url(i) + " name=" + cluster.nodeName(i));
    }
    System.out.println("ZK_HOST=" + cluster.zkHost());
    System.out.println("PID=" + ProcessHandle.current().pid());
    System.out.println("CONTROL_URL=" + control.url());
    System.out.println("SOLR_URL=" + cluster.url(0));
    System.out.flush();

    readCommands(cluster);
    Thread.currentThread().join(); // stdin ended (a background run): serve until told to stop
  }

  /**
   * System properties, each unless already set (-D wins), before anything of Solr's is loaded:
   * log4j reads {@code solr.log.dir} when it starts, ZooKeeper and solr.xml read theirs at startup.
   */
  private static void configure(Path base) {
    // What SolrTestCase sets for its embedded ZooKeeper: fewer threads, no fsync (test data).
    setDefault("zookeeper.nio.numSelectorThreads", "2");
    setDefault("zookeeper.nio.numWorkerThreads", "3");
    setDefault("zookeeper.commitProcessor.numWorkerThreads", "2");
    setDefault("zookeeper.forceSync", "no");
    setDefault("zookeeper.nio.shutdownTimeout", "100");
    // The ZooKeeper session timeout of the nodes (read by MiniSolrCloudCluster's solr.xml). After
    // a kill -9 the dead nodes' ephemeral /live_nodes entries live until their session expires,
    // and a restarted node waits for that: 9 s instead of 35 s with the default 30 s.
    setDefault("solr.zkclienttimeout", "5000");
    setDefault("solr.log.dir", base.resolve("logs").toString());
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Obeys {@code stop I}, {@code start I}, {@code shutdown} until stdin ends. */
  private static void readCommands(LocalCluster cluster) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      if (words[0].isEmpty()) {
        continue;
      }
      String reply;
      try {
        reply = command(cluster, words);
      } catch (Exception e) {
        reply = "ERR " + e;
      }
      System.out.println(reply);
      System.out.flush();
      if (words[0].equals("shutdown") && words.length == 1) {
        System.exit(0);
      }
    }
  }

  private static String command(LocalCluster cluster, String[] words) throws Exception {
    String command = String.join(" ", words);
    if (command.equals("shutdown")) {
      cluster.shutdown();
      return "shut down";
    }
    if (words.length != 2 || !(words[0].equals("stop") || words[0].equals("start"))) {
      return "ERR unknown command '" + command + "': stop I, start I, shutdown";
    }
    Integer node = ControlServer.nodeNumber("node=" + words[1], cluster.size());
    if (node == null) {
      return "ERR node number wanted, 0 to " + (cluster.size() - 1);
    }
    return words[0].equals("stop") ? cluster.stop(node) : cluster.start(node);
  }

  /** Exits from another thread, so that the control server finishes its answer first. */
  private static void exitSoon() {
    new Thread(() -> System.exit(0), "solrcloud-exit").start();
  }

  /** The shutdown hook: stops the cluster, then deletes {@code temporaryDir} when not null. */
  private static void shutdown(Path temporaryDir) {
    LocalCluster cluster = running;
    if (cluster != null) {
      try {
        cluster.shutdown();
      } catch (Exception e) {
        System.err.println("solrcloud: shutdown: " + e);
      }
    }
    if (temporaryDir != null) {
      try (Stream<Path> paths = Files.walk(temporaryDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(SolrCloudMain::delete);
      } catch (IOException | UncheckedIOException e) {
        System.err.println("solrcloud: could not delete " + temporaryDir + ": " + e);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int number(String[] args, int i) {
    String value = value(args, i);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(args[i - 1] + " wants a number, not '" + value + "'");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
