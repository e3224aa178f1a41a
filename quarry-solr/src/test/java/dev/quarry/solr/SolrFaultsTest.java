package dev.quarry.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.Quarry;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a real cluster during runs: a node dies while a run writes into a collection of two
 * replicas (nothing is lost, the run finishes), and the whole cluster is down (a clear error,
 * nothing committed lost, the run after it finishes the job).
 */
class SolrFaultsTest {
  private static final int FILES = 400;

  @TempDir Path work;

  private Path tree() throws IOException {
    Path tree = Files.createDirectories(work.resolve("tree"));
    for (int i = 0; i < FILES; i++) {
      Path dir = Files.createDirectories(tree.resolve("d" + (i % 10)));
      Files.writeString(
          dir.resolve("f" + i + ".txt"),
          "file number " + i + " word" + i + "\n" + "common text about pumps and valves\n");
    }
    return tree.toRealPath();
  }

  private static RunSummary index(RemoteStore store, Path tree, RunListener listener)
      throws Exception {
    IndexOptions options =
        IndexOptions.of(
            List.of(tree),
            tree.resolve(".quarry"),
            ScanOptions.defaults(),
            false,
            Quarry.DEFAULT_MODEL);
    return Quarry.run(options).into(store).listener(listener).index();
  }

  private static List<String> files(RemoteStore store) throws IOException {
    List<String> files = new ArrayList<>();
    Quarry.files(store, (ManifestEntry e) -> files.add(e.path() + " " + e.contentHash()));
    return files;
  }

  @Test
  void aNodeDyingDuringARunLosesNothingWithTwoReplicas() throws Exception {
    Path tree = tree();
    LocalSolrCloud cluster = LocalSolrCloud.get();
    AtomicInteger done = new AtomicInteger();
    CompletableFuture<Void> nodeStopped = new CompletableFuture<>();
    // Node 1 stops once a quarter of the files are written: triggered by the run, not a clock.
    RunListener stopNodeMidway =
        new RunListener() {
          @Override
          public void onOutcome(FileOutcome outcome) {
            if (done.incrementAndGet() == FILES / 4) {
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      cluster.stopNode(1);
                      nodeStopped.complete(null);
                    } catch (Exception e) {
                      nodeStopped.completeExceptionally(e);
                    }
                  });
            }
          }
        };
    try (RemoteStore store =
        new SolrStoreProvider().open(cluster.address("faults_node", "shards=2&replicas=2"))) {
      RunSummary run;
      try {
        run = index(store, tree, stopNodeMidway);
        nodeStopped.get();
        assertThat(run.filesIndexed()).isEqualTo(FILES);
        assertThat(run.filesFailed()).isZero();
        assertThat(Quarry.status(store).files()).isEqualTo(FILES);
        assertThat(Quarry.status(store).chunks()).isEqualTo(FILES);
      } finally {
        nodeStopped.get();
        cluster.startNode(1);
      }
      assertThat(files(store)).hasSize(FILES);
      RunSummary again = index(store, tree, RunListener.NONE);
      assertThat(again.filesUnchanged()).isEqualTo(FILES);
    }
  }

  @Test
  void theWholeClusterDownIsAClearErrorAndTheNextRunFinishes() throws Exception {
    Path tree = tree();
    Path data = work.resolve("cluster");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    LocalSolrCloud cluster = LocalSolrCloud.start(1, data, port);
    String address = cluster.solrUrl() + "/down";
    List<String> before;
    try (RemoteStore store = new SolrStoreProvider().open(address)) {
      index(store, tree, RunListener.NONE);
      before = files(store);
    } finally {
      cluster.stop();
    }
    Files.writeString(tree.resolve("d0/f0.txt"), "changed while the cluster was down\n");
    try (RemoteStore store = new SolrStoreProvider().open(address)) {
      assertThatThrownBy(() -> index(store, tree, RunListener.NONE))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(cluster.solrUrl());
    }
    cluster = LocalSolrCloud.start(1, data, port);
    try (RemoteStore store = new SolrStoreProvider().open(address)) {
      assertThat(files(store)).as("nothing committed was lost").isEqualTo(before);
      RunSummary after = index(store, tree, RunListener.NONE);
      assertThat(after.filesIndexed()).isEqualTo(1);
      assertThat(after.filesUnchanged()).isEqualTo(FILES - 1);
      assertThat(Quarry.status(store).files()).isEqualTo(FILES);
    } finally {
      cluster.stop();
    }
  }
}
