package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.solr.LocalSolrCloud;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of the SolrCloud store: a real {@code quarry index --store solr:...} process,
 * embedding into a collection of a real 2-node cluster, is killed with SIGKILL at a seeded random
 * moment; the rerun must leave the collection as an uninterrupted run leaves another ({@code quarry
 * files --json} identical), embedding no chunk whose vector the store already held.
 */
class SolrCrashResumeTest {
  /** CI's trials; {@code -Dquarry.solr.crash.trials=N} runs more. */
  private static final int TRIALS = Integer.getInteger("quarry.solr.crash.trials", 3);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path work;
  static Path tree;
  static LocalSolrCloud cluster;
  static String reference;
  static Set<String> referenceHashes;
  static long uninterruptedMillis;

  private static String store(String collection) {
    return "solr:" + cluster.address(collection + "_" + ProcessHandle.current().pid(), "shards=2");
  }

  @BeforeAll
  static void referenceRun() throws Exception {
    cluster = LocalSolrCloud.get();
    tree = work.resolve("tree");
    TestTrees.mixed(tree, 70, 42);
    long start = System.nanoTime();
    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--store",
            store("crashref"),
            "-q",
            "--cache-dir",
            "off");
    assertThat(run.waitFor(300)).as(run.output()).isZero();
    uninterruptedMillis = (System.nanoTime() - start) / 1_000_000;
    reference = files(store("crashref"));
    assertThat(JSON.readTree(reference)).hasSize(70);
    referenceHashes = vectorHashes("crashref");
    assertThat(referenceHashes).isNotEmpty();
  }

  @Test
  void killedAtRandomMomentsThenResumedGivesTheUninterruptedIndex() throws Exception {
    Random random = new Random(20261203L);
    List<String> log = new ArrayList<>();
    for (int trial = 0; trial < TRIALS; trial++) {
      // Moments in the run's middle, where the store holds part of the work: a JVM's start and
      // the model's load take its first seconds. (Any moment must pass; these are the telling
      // ones.)
      log.add(trial(trial, (long) (uninterruptedMillis * (0.3 + 0.65 * random.nextDouble()))));
    }
    System.out.println("solr crash trials (uninterrupted run " + uninterruptedMillis + " ms):");
    log.forEach(line -> System.out.println("  " + line));
  }

  private String trial(int trial, long killAfterMillis) throws Exception {
    String collection = "crash" + trial;
    Path cache = work.resolve("cache-" + trial);
    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--store",
            store(collection),
            "-q",
            "--commit-interval",
            "300ms",
            "--commit-chunks",
            "15",
            "--batch-size",
            "8",
            "--cache-dir",
            cache.toString());
    Thread.sleep(killAfterMillis);
    boolean finishedFirst = !run.process().isAlive();
    run.process().destroyForcibly(); // SIGKILL: no hook, no commit, no unlock
    run.process().waitFor(30, TimeUnit.SECONDS);

    // What the store holds now: its commits, and the whole files the killed run had written
    // (visible at the next commit, which the resuming run makes first). Vectors computed and not
    // yet written are in the disk cache.
    Set<String> stored = collectionExists(collection) ? vectorHashes(collection) : Set.of();
    Set<String> cachedVectors = CrashResumeTest.cached(cache, referenceHashes);

    QuarryCliTest.Run resume =
        QuarryCliTest.quarry(
            "index",
            tree.toString(),
            "--store",
            store(collection),
            "--json",
            "--cache-dir",
            cache.toString());
    assertThat(resume.exit()).as(resume.err()).isZero();
    assertThat(files(store(collection)))
        .as("trial %d: killed after %d ms", trial, killAfterMillis)
        .isEqualTo(reference);
    Set<String> owed = new HashSet<>(referenceHashes);
    owed.removeAll(stored);
    owed.removeAll(cachedVectors);
    assertThat(JSON.readTree(resume.out()).at("/chunks/embedded").asLong())
        .as("trial %d: chunks embedded on resume", trial)
        .isEqualTo(owed.size());
    return "trial "
        + trial
        + ": killed after "
        + killAfterMillis
        + " ms"
        + (finishedFirst ? " (had finished)" : "")
        + ", vectors stored "
        + stored.size()
        + "/"
        + referenceHashes.size()
        + ", cached "
        + cachedVectors.size()
        + ", embedded on resume "
        + owed.size()
        + ": identical";
  }

  private static String files(String store) {
    QuarryCliTest.Run files = QuarryCliTest.quarry("files", "--store", store, "--json");
    assertThat(files.exit()).as(files.err()).isZero();
    return files.out();
  }

  private static boolean collectionExists(String collection) throws Exception {
    JsonNode list =
        get(cluster.solrUrl() + "/admin/collections?action=LIST&wt=json").path("collections");
    for (JsonNode name : list) {
      if (name.asText().equals(collection + "_" + ProcessHandle.current().pid())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The content hashes of the chunks with vectors a search of the collection sees, after a soft
   * commit (which exposes what the killed run wrote whole, as the resuming run's first commit
   * will).
   */
  private static Set<String> vectorHashes(String collection) throws Exception {
    String base = cluster.solrUrl() + "/" + collection + "_" + ProcessHandle.current().pid();
    get(base + "/update?softCommit=true&wt=json");
    JsonNode docs =
        get(base
                + "/select?wt=json&rows=100000&fl=hash&q=kind:chunk&fq=has_vector:true&fq="
                + URLEncoder.encode("{!join from=fver to=fver}kind:file", StandardCharsets.UTF_8))
            .at("/response/docs");
    Set<String> hashes = new HashSet<>();
    docs.forEach(d -> hashes.add(d.path("hash").asText()));
    return hashes;
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
