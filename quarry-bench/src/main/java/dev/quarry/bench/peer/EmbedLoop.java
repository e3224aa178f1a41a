package dev.quarry.bench.peer;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;

/**
 * The peer of the embedding-efficiency benchmark: a bare loop over the model, embedding exactly the
 * chunk inputs a Quarry index holds (context line + text), in batches, nothing else. Prints "chunks
 * seconds chunks/s". Run by bench/embed-efficiency.sh.
 */
public class EmbedLoop {
  public static void main(String[] args) throws Exception {
    Path indexDir = Path.of(args[0]);
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    List<String> inputs = chunkInputs(indexDir);
    try (EmbeddingModel model =
        EmbeddingModels.load(EmbeddingModels.DEFAULT, Runtime.getRuntime().availableProcessors())) {
      long start = System.nanoTime();
      for (int i = 0; i < inputs.size(); i += batch) {
        model.embed(inputs.subList(i, Math.min(inputs.size(), i + batch)));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("%d %.2f %.2f%n", inputs.size(), seconds, inputs.size() / seconds);
    }
  }

  /**
   * The distinct chunk inputs (context line + text) an index holds, in index order: what the
   * pipeline embedded.
   */
  static List<String> chunkInputs(Path indexDir) throws java.io.IOException {
    List<String> inputs = new ArrayList<>();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      IndexSearcher searcher = index.acquireSearcher();
      try {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
          var live = leaf.reader().getLiveDocs();
          var stored = leaf.reader().storedFields();
          for (int d = 0; d < leaf.reader().maxDoc(); d++) {
            if (live != null && !live.get(d)) {
              continue;
            }
            Document doc = stored.document(d);
            String text = doc.get(IndexSchema.TEXT);
            if (text != null && doc.get(IndexSchema.CHUNK_HASH) != null) {
              String context = doc.get(IndexSchema.CONTEXT);
              inputs.add(context == null || context.isEmpty() ? text : context + "\n" + text);
            }
          }
        }
      } finally {
        index.releaseSearcher(searcher);
      }
    }
    // Distinct inputs only: the pipeline embeds each distinct chunk once.
    return new ArrayList<>(new java.util.LinkedHashSet<>(inputs));
  }
}
