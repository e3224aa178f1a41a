package dev.quarry.store;

import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;

/** Receives a store's manifest entries one at a time, in the order of their files' ids. */
@FunctionalInterface
public interface ManifestVisitor {
  void visit(ManifestEntry entry) throws IOException;
}
