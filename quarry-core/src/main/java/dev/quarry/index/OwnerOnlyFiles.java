package dev.quarry.index;

import dev.quarry.fs.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * Makes every file the index writer creates owner-only (0600). The index folder (0700) already
 * keeps other users out; this is the second wall, for a copy or an archive of the folder, which
 * keeps the files' own modes. One chmod per file, and a flush creates a dozen: nothing to measure.
 */
final class OwnerOnlyFiles extends FilterDirectory {
  private final Path dir;

  OwnerOnlyFiles(Directory in, Path dir) {
    super(in);
    this.dir = dir;
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    IndexOutput output = super.createOutput(name, context);
    OwnerOnly.restrict(dir.resolve(name));
    return output;
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    IndexOutput output = super.createTempOutput(prefix, suffix, context);
    OwnerOnly.restrict(dir.resolve(output.getName()));
    return output;
  }
}
