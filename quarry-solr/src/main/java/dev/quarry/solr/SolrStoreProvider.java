package dev.quarry.solr;

import dev.quarry.store.RemoteStore;
import dev.quarry.store.RemoteStoreProvider;

/**
 * Serves {@code solr:http://HOST:PORT/solr/COLLECTION} store addresses (found by ServiceLoader).
 */
public final class SolrStoreProvider implements RemoteStoreProvider {
  @Override
  public String scheme() {
    return "solr";
  }

  @Override
  public RemoteStore open(String address) {
    return new SolrCollection(SolrAddress.parse(address));
  }
}
