package dev.quarry.index;

import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.nio.file.Path;

/** The embedded Lucene index keeps the store contract. */
class QuarryIndexStoreTest extends IndexStoreContract {

  @Override
  IndexStore openForWriting(Path location) throws IOException {
    return QuarryIndex.openForWriting(location);
  }
}
