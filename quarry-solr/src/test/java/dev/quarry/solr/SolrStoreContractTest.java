package dev.quarry.solr;

import dev.quarry.embed.ModelIdentity;
import dev.quarry.index.IndexStoreContract;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * A SolrCloud collection (2 shards on a real 2-node cluster) keeps the store contract, as the
 * embedded index does; each test writes a collection of its own.
 */
class SolrStoreContractTest extends IndexStoreContract {
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  static final ModelIdentity FOUR_DIMENSIONS =
      new ModelIdentity("test4", "1", 4, 512, "mean", true);

  private final List<RemoteStore> opened = new ArrayList<>();

  @Override
  protected IndexStore openForWriting(Path location) throws IOException {
    String name = "contract" + COLLECTIONS.incrementAndGet() + "_" + ProcessHandle.current().pid();
    RemoteStore remote =
        new SolrStoreProvider().open(LocalSolrCloud.get().address(name, "shards=2"));
    opened.add(remote);
    return remote.openForWriting(List.of(Path.of("/t")), "test", FOUR_DIMENSIONS);
  }

  @Override
  protected boolean viewsPinACommit() {
    return false; // Solr holds no searcher across requests (SolrStoreView)
  }

  @AfterEach
  void closeClients() throws IOException {
    for (RemoteStore remote : opened) {
      remote.close();
    }
  }
}
