package dev.quarry.store;

/**
 * Makes {@link RemoteStore}s of one kind of engine, found with {@link java.util.ServiceLoader}: a
 * store module (quarry-solr) registers one in {@code
 * META-INF/services/dev.quarry.store.RemoteStoreProvider}, so the core depends on no engine's
 * client.
 */
public interface RemoteStoreProvider {

  /** The address scheme this provider serves, e.g. {@code solr} for {@code solr:http://...}. */
  String scheme();

  /**
   * A store at {@code address} (what follows the scheme and its colon); connects lazily or fails
   * here with a message naming the address when it cannot be reached.
   *
   * @throws IllegalArgumentException when the address is malformed
   */
  RemoteStore open(String address);
}
