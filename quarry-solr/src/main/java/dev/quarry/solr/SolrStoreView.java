package dev.quarry.solr;

import dev.quarry.store.ChunkQuery;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * A search's view of a SolrCloud collection. Each leg is one request, and a hit's stored fields
 * come with it (a chunk reference is a position in this view's list of hits), so showing ten hits
 * costs no more requests. The manifest stats of the hits' files, asked one file at a time, are
 * fetched for all files seen so far in one request.
 *
 * <p>Unlike the embedded index's, this view does not pin a commit: Solr cannot hold a searcher
 * across requests, so the two legs of a hybrid search may see two commits when one lands between
 * them (each file whole in either, see {@link SolrIndexStore}).
 */
final class SolrStoreView implements StoreView {
  /** Chunks a manifest entry names: what a search may see (cached by Solr per commit). */
  static final String VISIBLE = "{!join from=fver to=fver}kind:" + SolrDocuments.KIND_FILE;

  /** Files whose manifest stats one request fetches beside the one asked. */
  private static final int STATS_BATCH = 63;

  /** Graph hits asked of each shard per wanted hit, as the embedded index oversamples. */
  private static final int OVERSAMPLE = 3;

  private final SolrCollection collection;
  private final SolrIndexStore store;
  private final List<SolrDocument> hits = new ArrayList<>();
  private final Map<String, Integer> refs = new HashMap<>(); // a chunk's id: one ref for both legs
  private final Map<String, ManifestStat> stats = new HashMap<>();
  private final Set<String> statsWanted = new LinkedHashSet<>();

  SolrStoreView(SolrCollection collection, SolrIndexStore store) {
    this.collection = collection;
    this.store = store;
  }

  @Override
  public Map<String, String> commitData() throws IOException {
    return store.commitData();
  }

  /**
   * Every index's metadata document is rewritten by each of its commits, and Solr gives each write
   * a new {@code _version_}: their sum changes with every commit of any index in the collection
   * (wrapping: the versions are large; the sign bit dropped: a generation is 0 or more). Read with
   * a search, not a real-time get, so that it changes when the commit is visible, not before.
   */
  @Override
  public long generation() throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_META);
    params.set("fl", "_version_");
    params.set("rows", 10_000);
    long sum = 0;
    for (SolrDocument doc :
        collection.query("reading the commit of " + collection.location(), params).getResults()) {
      sum += ((Number) doc.getFirstValue("_version_")).longValue();
    }
    return sum & Long.MAX_VALUE;
  }

  @Override
  public List<ScoredChunk> lexical(ChunkQuery query, int n) throws IOException {
    if (query.terms().isEmpty() || n <= 0) {
      return List.of();
    }
    List<String> clauses = new ArrayList<>();
    for (String term : query.terms()) {
      String t = ClientUtils.escapeQueryChars(term);
      clauses.add("text:" + t);
      clauses.add("context:" + t + boost(query.contextBoost()));
      clauses.add("path_text:" + t + boost(query.pathBoost()));
    }
    ModifiableSolrParams params = filtered(query);
    params.set("q", String.join(" ", clauses));
    params.set("q.op", "OR");
    params.set("defType", "lucene");
    params.set("rows", n);
    return run(params, false);
  }

  @Override
  public List<ScoredChunk> nearest(float[] vector, ChunkQuery filter, int n) throws IOException {
    if (n <= 0) {
      return List.of();
    }
    StringBuilder q = new StringBuilder("{!knn f=vector topK=").append(n * OVERSAMPLE).append("}[");
    for (int i = 0; i < vector.length; i++) {
      q.append(i == 0 ? "" : ",").append(vector[i]);
    }
    ModifiableSolrParams params = filtered(filter);
    params.set("q", q.append(']').toString());
    // topK is each shard's: every shard's best n hold the collection's best n, merged by score.
    params.set("rows", n);
    return run(params, true);
  }

  /** Chunks only, of live files, restricted by path and language when the query says so. */
  private static ModifiableSolrParams filtered(ChunkQuery query) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.add("fq", "kind:" + SolrDocuments.KIND_CHUNK);
    params.add("fq", VISIBLE);
    query.pathRegexp().ifPresent(r -> params.add("fq", "path:/" + r.replace("/", "\\/") + "/"));
    query.language().ifPresent(l -> params.add("fq", "lang:" + ClientUtils.escapeQueryChars(l)));
    params.set("fl", SolrDocuments.CHUNK_FIELDS + ",score");
    return params;
  }

  private List<ScoredChunk> run(ModifiableSolrParams params, boolean vectorScores)
      throws IOException {
    QueryResponse response = collection.query("searching " + collection.location(), params);
    List<ScoredChunk> chunks = new ArrayList<>();
    for (SolrDocument doc : response.getResults()) {
      double score = ((Number) doc.getFirstValue("score")).doubleValue();
      Integer ref = refs.get(SolrDocuments.string(doc, "id"));
      if (ref == null) {
        ref = hits.size();
        refs.put(SolrDocuments.string(doc, "id"), ref);
        hits.add(doc);
        statsWanted.add(SolrDocuments.string(doc, "file"));
      }
      // Solr's dot-product score is (1 + dot) / 2; the store contract gives the dot product.
      chunks.add(new ScoredChunk(ref, vectorScores ? 2 * score - 1 : score));
    }
    return chunks;
  }

  private static String boost(float boost) {
    return boost == 1f ? "" : "^" + boost;
  }

  @Override
  public StoredChunk chunk(long ref) {
    return SolrDocuments.storedChunk(hits.get(Math.toIntExact(ref)));
  }

  @Override
  public String language(long ref) {
    return SolrDocuments.string(hits.get(Math.toIntExact(ref)), "lang");
  }

  @Override
  public void forEachVector(VectorSink sink) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_CHUNK);
    params.add("fq", "has_vector:true");
    params.add("fq", VISIBLE);
    params.set("fl", "id,hash,vector");
    params.set("sort", "id asc");
    params.set("rows", 500);
    store.scan(
        params,
        doc -> {
          float[] vector = SolrDocuments.vector(doc);
          if (vector != null) {
            sink.accept(SolrDocuments.string(doc, "hash"), vector);
          }
        });
  }

  @Override
  public ManifestStat manifestStat(String file) throws IOException {
    if (!stats.containsKey(file)) {
      fetchStats(file);
    }
    return stats.get(file);
  }

  /**
   * The manifest stats of the file asked and of up to {@value #STATS_BATCH} more files hit so far
   * (in the order the legs ranked them), in one request: a search asks them of its best hits.
   */
  private void fetchStats(String asked) throws IOException {
    List<String> ids = new ArrayList<>();
    ids.add(SolrDocuments.manifestId(asked));
    stats.put(asked, null); // absent unless found
    for (var it = statsWanted.iterator(); it.hasNext() && ids.size() <= STATS_BATCH; ) {
      String file = it.next();
      it.remove();
      if (!stats.containsKey(file)) {
        ids.add(SolrDocuments.manifestId(file));
        stats.put(file, null);
      }
    }
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", SolrIndexStore.anyOf("id", ids));
    params.set("fl", "file,size,mtime");
    params.set("rows", ids.size());
    for (SolrDocument doc :
        collection.query("reading " + collection.location(), params).getResults()) {
      stats.put(
          SolrDocuments.string(doc, "file"),
          new ManifestStat(
              SolrDocuments.number(doc, "size").longValue(),
              SolrDocuments.number(doc, "mtime").longValue()));
    }
  }

  @Override
  public void close() {}
}
