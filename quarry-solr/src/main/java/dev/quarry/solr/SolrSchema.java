package dev.quarry.solr;

import dev.quarry.embed.ModelIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Quarry's configset (resources {@code dev/quarry/solr/configset/}): the schema made for a model's
 * vectors (dimensions, similarity), zipped for Solr's configset upload. Its version is recorded in
 * the collection's info document: a collection of another version is refused, not rewritten.
 */
final class SolrSchema {
  private SolrSchema() {}

  /** Bumped when a change of the schema or of the documents' layout needs a new collection. */
  static final String VERSION = "1";

  private static final List<String> FILES = List.of("solrconfig.xml", "schema.xml");

  /** The configset's name for a model's vectors: one per version, dimensions and similarity. */
  static String configName(ModelIdentity model) {
    return "quarry-v" + VERSION + "-" + model.dimensions() + "-" + similarity(model);
  }

  /**
   * Dot product for unit vectors (Quarry's models), as the embedded index scores them; cosine for a
   * model whose vectors are not normalized.
   */
  static String similarity(ModelIdentity model) {
    return model.normalized() ? "dot_product" : "cosine";
  }

  /** The configset as a zip with its files at the root. */
  static byte[] zip(ModelIdentity model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : FILES) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(
            resource(name)
                .replace("${dimensions}", Integer.toString(model.dimensions()))
                .replace("${similarity}", similarity(model))
                .getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory
    }
    return bytes.toByteArray();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SolrSchema.class.getResourceAsStream("configset/" + name)) {
      if (in == null) {
        throw new IOException("configset file " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
