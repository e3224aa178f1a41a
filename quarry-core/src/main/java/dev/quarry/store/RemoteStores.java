package dev.quarry.store;

import java.util.List;
import java.util.ServiceLoader;

/** Opens the {@link RemoteStore} a store address names, through the provider of its scheme. */
public final class RemoteStores {
  private RemoteStores() {}

  /** The value of {@code --store} (and the {@code store} setting) that means the embedded index. */
  public static final String EMBEDDED = "embedded";

  /**
   * The store {@code address} names: {@code SCHEME:ADDRESS}, e.g. {@code
   * solr:http://127.0.0.1:8983/solr/quarry}.
   *
   * @throws IllegalArgumentException naming the address when no provider serves its scheme or the
   *     address is malformed
   */
  public static RemoteStore open(String address) {
    int colon = address.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "store '"
              + address
              + "' names no kind of store: give SCHEME:ADDRESS, e.g. "
              + "solr:http://127.0.0.1:8983/solr/quarry, or 'embedded'");
    }
    String scheme = address.substring(0, colon);
    List<RemoteStoreProvider> providers =
        ServiceLoader.load(RemoteStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    for (RemoteStoreProvider provider : providers) {
      if (provider.scheme().equals(scheme)) {
        return provider.open(address.substring(colon + 1));
      }
    }
    throw new IllegalArgumentException(
        "store '"
            + address
            + "': no store of kind '"
            + scheme
            + "' (known: "
            + String.join(", ", providers.stream().map(RemoteStoreProvider::scheme).toList())
            + (providers.isEmpty() ? "none" : "")
            + ")");
  }
}
