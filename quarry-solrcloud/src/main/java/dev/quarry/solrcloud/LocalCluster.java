package dev.quarry.solrcloud;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A {@link MiniSolrCloudCluster} (embedded ZooKeeper + Jetty nodes, all on 127.0.0.1) whose nodes
 * keep their number and their port across stops and starts.
 *
 * <p>The cluster is built with no node (ZooKeeper only) and the nodes are added here, one {@link
 * JettyConfig} each: the Builder would give every node the same config, so it cannot put them on
 * fixed ports P..P+N-1. Node {@code i} lives in {@code dir/node<i>}, created by us because {@code
 * startJettySolrRunner(name, ...)} fails on an existing directory (a restart with data).
 *
 * <p>A node's name is {@code 127.0.0.1:PORT_solr}, so the same ports and the same directory bring
 * the collections back after a restart of the whole cluster; a node restarted on another port would
 * be a new node and its replicas would stay down. With free ports a directory that already holds a
 * cluster is therefore refused.
 *
 * <p>The methods are synchronized: the control server and stdin both call them.
 */
final class LocalCluster {
  /** Seconds a node has to appear in /live_nodes. */
  private static final int WAIT_SECONDS = 60;

  private final MiniSolrCloudCluster cluster;

  /** Every node by number, stopped ones included (the cluster's own list drops stopped nodes). */
  private final List<JettySolrRunner> nodes;

  /** Base URLs by node number, as first started (a stopped node has no port to ask). */
  private final List<URL> urls;

  private boolean shutDown;

  private LocalCluster(MiniSolrCloudCluster cluster, List<JettySolrRunner> nodes) {
    this.cluster = cluster;
    this.nodes = nodes;
    this.urls = nodes.stream().map(JettySolrRunner::getBaseUrl).toList();
  }

  /**
   * Starts ZooKeeper and {@code count} nodes and returns once all of them are live.
   *
   * @param basePort 0 for free ports, else node {@code i} listens on {@code basePort + i}
   * @param dir the cluster's directory: ZooKeeper's data in {@code zookeeper/}, the nodes' in
   *     {@code node<i>/}; an existing one is reused when {@code basePort > 0}
   */
  static LocalCluster start(int count, int basePort, Path dir) throws Exception {
    check(dir, basePort, count);
    boolean existing = Files.isDirectory(dir.resolve("zookeeper"));
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster.Builder(0, dir).formatZkServer(!existing).build();
    List<JettySolrRunner> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Properties props = new Properties();
        props.setProperty("zkHost", cluster.getZkServer().getZkAddress());
        JettyConfig config =
            JettyConfig.builder()
                .setContext("/solr")
                .setPort(basePort == 0 ? 0 : basePort + i)
                .withPortRetryTime(0) // checked above; Jetty 10's retry fails badly anyway
                .build();
        Path home = Files.createDirectories(dir.resolve("node" + i));
        JettySolrRunner node = new JettySolrRunner(home.toString(), props, config);
        nodes.add(node);
        cluster.startJettySolrRunner(node, true); // starts it, adds it to the cluster's list
      }
      for (JettySolrRunner node : nodes) {
        cluster.waitForNode(node, WAIT_SECONDS);
      }
    } catch (Exception e) {
      try {
        cluster.shutdown();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new LocalCluster(cluster, nodes);
  }

  /**
   * Refuses what would fail later with a less clear error: free ports for a directory that already
   * holds a cluster (its nodes would be new ones), and a fixed port that is taken (Jetty 10 then
   * fails with "IllegalStateException: STOPPED").
   *
   * @param dir the cluster's directory, null for a new temporary one
   */
  static void check(Path dir, int basePort, int count) {
    if (basePort == 0 && dir != null && Files.isDirectory(dir.resolve("zookeeper"))) {
      throw new IllegalArgumentException(
          dir
              + " already holds a cluster: its nodes are known by their ports, restart it with the"
              + " same --port, or give an empty --dir");
    }
    for (int i = 0; basePort > 0 && i < count; i++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true); // as Jetty does: a port in TIME_WAIT is free
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), basePort + i));
      } catch (IOException e) {
        throw new IllegalArgumentException("port " + (basePort + i) + " is in use: " + e);
      }
    }
  }

  int size() {
    return nodes.size();
  }

  URL url(int node) {
    return urls.get(node);
  }

  String nodeName(int node) {
    return nodes.get(node).getNodeName();
  }

  String zkHost() {
    return cluster.getZkServer().getZkAddress();
  }

  /** Stops node {@code node} and waits until it is gone from /live_nodes. */
  synchronized String stop(int node) throws Exception {
    checkUp();
    JettySolrRunner jetty = nodes.get(node);
    if (jetty.isStopped()) {
      return "node " + node + " is already down";
    }
    long t0 = System.nanoTime();
    cluster.stopJettySolrRunner(jetty);
    cluster.waitForJettyToStop(jetty);
    return "node " + node + " stopped in " + millisSince(t0) + " ms";
  }

  /** Starts node {@code node} again on its port (same node name) and waits until it is live. */
  synchronized String start(int node) throws Exception {
    checkUp();
    JettySolrRunner jetty = nodes.get(node);
    if (jetty.isRunning()) {
      return "node " + node + " is already up";
    }
    long t0 = System.nanoTime();
    cluster.startJettySolrRunner(jetty, true);
    cluster.waitForNode(jetty, WAIT_SECONDS);
    return "node " + node + " started in " + millisSince(t0) + " ms: " + urls.get(node);
  }

  /** One line per node: {@code I URL up|down}. */
  synchronized String describe() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      boolean up = !shutDown && nodes.get(i).isRunning();
      out.append(i).append(' ').append(urls.get(i)).append(up ? " up" : " down").append('\n');
    }
    return out.toString();
  }

  /** Stops every node and ZooKeeper; later calls do nothing. */
  synchronized void shutdown() throws Exception {
    if (!shutDown) {
      shutDown = true;
      cluster.shutdown();
    }
  }

  private void checkUp() {
    if (shutDown) {
      throw new IllegalStateException("the cluster is shut down");
    }
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
