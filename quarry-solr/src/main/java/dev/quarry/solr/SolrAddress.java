package dev.quarry.solr;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a collection is: {@code http://HOST:PORT/solr/COLLECTION[?shards=N&replicas=R]}, the part
 * of a store address after {@code solr:}. Shards and replicas are used only when Quarry creates the
 * collection.
 *
 * @param solrUrl the Solr base URL ({@code http://HOST:PORT/solr}), where the client finds the
 *     cluster's state
 * @param collection the collection's name
 * @param shards shards of a new collection
 * @param replicas replicas of each shard of a new collection
 */
public record SolrAddress(String solrUrl, String collection, int shards, int replicas) {

  /** A collection name Solr accepts (and that needs no escaping in a URL). */
  private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

  public SolrAddress {
    if (!collection.matches(NAME)) {
      throw new IllegalArgumentException(
          "'" + collection + "' is not a collection name: letters, digits, '_', '.', '-'");
    }
    if (shards < 1 || replicas < 1) {
      throw new IllegalArgumentException(
          "shards and replicas must be at least 1, got " + shards + " and " + replicas);
    }
  }

  /**
   * Parses {@code http://HOST:PORT/solr/COLLECTION[?shards=N&replicas=R]}.
   *
   * @throws IllegalArgumentException naming the address and what is wrong with it
   */
  public static SolrAddress parse(String address) {
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw invalid(address, e.getMessage());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw invalid(address, "it must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw invalid(address, "it names no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      throw invalid(address, "it names no collection after the Solr path (/solr/COLLECTION)");
    }
    Map<String, String> params = params(address, uri.getRawQuery());
    String base =
        uri.getScheme()
            + "://"
            + uri.getHost()
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + path.substring(0, slash);
    try {
      return new SolrAddress(
          base,
          path.substring(slash + 1),
          Integer.parseInt(params.getOrDefault("shards", "1")),
          Integer.parseInt(params.getOrDefault("replicas", "1")));
    } catch (NumberFormatException e) {
      throw invalid(address, "shards and replicas are whole numbers");
    } catch (IllegalArgumentException e) {
      throw invalid(address, e.getMessage());
    }
  }

  private static Map<String, String> params(String address, String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!List.of("shards", "replicas").contains(name)) {
        throw invalid(address, "unknown option '" + name + "' (known: shards, replicas)");
      }
      params.put(name, eq < 0 ? "" : pair.substring(eq + 1));
    }
    return params;
  }

  private static IllegalArgumentException invalid(String address, String why) {
    return new IllegalArgumentException(
        "store 'solr:"
            + address
            + "' is not a SolrCloud collection's address ("
            + why
            + "); give solr:http://HOST:PORT/solr/COLLECTION");
  }

  /** The address as the user writes it after {@code solr:}. */
  @Override
  public String toString() {
    return solrUrl + "/" + collection;
  }
}
