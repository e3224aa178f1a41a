package dev.quarry;

import dev.quarry.store.IndexMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an index says of itself: where it is, the roots it was built from and the model whose
 * vectors it holds. A run or a search that is not told its roots or its model takes them from here:
 * the one place that decides it.
 *
 * @param directory the index directory; null for a remote store's index
 * @param roots the roots of every run so far, as real paths, sorted
 * @param modelId the identity of the model of its vectors ({@code ModelIdentity.id()}), empty for a
 *     lexical-only index
 */
public record IndexDescription(Path directory, List<Path> roots, Optional<String> modelId) {

  public IndexDescription {
    roots = List.copyOf(roots);
  }

  static IndexDescription of(Path directory, Map<String, String> commitData) {
    return new IndexDescription(
        directory,
        IndexMetadata.roots(commitData).stream().map(Path::of).toList(),
        Optional.ofNullable(commitData.get(IndexMetadata.MODEL)));
  }

  /** The model's name (its identity without the version), as {@code --model} takes it. */
  public Optional<String> modelName() {
    return modelId.map(Quarry::modelNameOf);
  }

  /** Whether the index holds vectors. */
  public boolean hasVectors() {
    return modelId.isPresent();
  }
}
