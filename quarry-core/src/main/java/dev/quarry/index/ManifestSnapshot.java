package dev.quarry.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.util.Bits;

/**
 * The manifest of one commit, held compactly for change detection: per file only what deciding
 * "unchanged" needs (name, size, mtime, versions), in flat arrays with an open-addressing table,
 * about a hundred bytes a file instead of a full {@link ManifestEntry} in a map. The full entry of
 * a file whose stat changed is read back from the index on demand, from the same commit: the
 * snapshot holds that commit's reader open until it is closed.
 *
 * <p>Slots number the entries 0..size-1; lookups are thread-safe (the snapshot is immutable).
 */
public final class ManifestSnapshot implements Closeable {
  private final SearcherManager manager;
  private final IndexSearcher searcher;
  private final String[] files;
  private final long[] sizes;
  private final long[] mtimes;
  /** Index of the entry's (root, pipeline, model) in {@link #versions}: a tree has a handful. */
  private final int[] versionOf;
  private final List<Versions> versions;
  /** Segment (leaf ordinal) and document of each entry, for reading the full entry back. */
  private final int[] leafOf;
  private final int[] docOf;
  /** Open addressing: slot + 1, 0 for empty; capacity a power of two at least twice the size. */
  private final int[] table;
  private final int size;

  /** The low-cardinality columns of an entry, shared by the entries that have the same. */
  private record Versions(String root, String pipeline, String model) {}

  private ManifestSnapshot(SearcherManager manager, IndexSearcher searcher, Builder b) {
    this.manager = manager;
    this.searcher = searcher;
    this.size = b.size;
    this.files = Arrays.copyOf(b.files, size);
    this.sizes = Arrays.copyOf(b.sizes, size);
    this.mtimes = Arrays.copyOf(b.mtimes, size);
    this.versionOf = Arrays.copyOf(b.versionOf, size);
    this.leafOf = Arrays.copyOf(b.leafOf, size);
    this.docOf = Arrays.copyOf(b.docOf, size);
    this.versions = List.copyOf(b.versions);
    this.table = new int[Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1];
    for (int slot = 0; slot < size; slot++) {
      int i = home(files[slot]);
      while (table[i] != 0) {
        i = (i + 1) & (table.length - 1);
      }
      table[i] = slot + 1;
    }
  }

  /** Reads the manifest of the searcher's commit; the snapshot releases the searcher when closed. */
  static ManifestSnapshot load(SearcherManager manager, IndexSearcher searcher) throws IOException {
    Builder b = new Builder();
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (int leaf = 0; leaf < leaves.size(); leaf++) {
      ManifestColumns columns = ManifestColumns.of(leaves.get(leaf).reader());
      if (columns == null) {
        continue;
      }
      Bits live = leaves.get(leaf).reader().getLiveDocs();
      for (int doc = columns.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = columns.nextDoc()) {
        if (live == null || live.get(doc)) {
          ManifestColumns.Stat stat = columns.stat(doc);
          b.add(stat.file(), stat.size(), stat.mtimeMillis(), stat.root(), stat.pipeline(), stat.model(), leaf, doc);
        }
      }
    }
    return new ManifestSnapshot(manager, searcher, b);
  }

  private int home(String file) {
    int h = file.hashCode() * 0x9E3779B9; // spread: path hash codes share their high bits
    return (h ^ (h >>> 16)) & (table.length - 1);
  }

  /** Number of files in the manifest. */
  public int size() {
    return size;
  }

  /** The slot of {@code file}'s entry, or -1 if the manifest does not have it. */
  public int slotOf(String file) {
    int i = home(file);
    while (true) {
      int slot = table[i] - 1;
      if (slot < 0) {
        return -1;
      }
      if (files[slot].equals(file)) {
        return slot;
      }
      i = (i + 1) & (table.length - 1);
    }
  }

  /** The file (its id: the absolute path) of a slot. */
  public String file(int slot) {
    return files[slot];
  }

  /** The root the slot's file was indexed under. */
  public String root(int slot) {
    return versions.get(versionOf[slot]).root();
  }

  /**
   * Whether the slot's file was indexed with {@code pipeline} (and {@code model}, unless null: a
   * lexical run accepts any) and still has this size and modification time: then it is unchanged
   * and need not be read.
   */
  public boolean unchanged(int slot, long size, long mtimeMillis, String pipeline, String model) {
    Versions v = versions.get(versionOf[slot]);
    return sizes[slot] == size && mtimes[slot] == mtimeMillis && v.pipeline().equals(pipeline)
        && (model == null || v.model().equals(model));
  }

  /** The slot's full entry, read from the snapshot's commit. */
  public ManifestEntry entry(int slot) {
    try {
      LeafReaderContext leaf = searcher.getIndexReader().leaves().get(leafOf[slot]);
      ManifestColumns columns = Objects.requireNonNull(ManifestColumns.of(leaf.reader()));
      return columns.entry(docOf[slot]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest entry of " + files[slot], e);
    }
  }

  @Override
  public void close() throws IOException {
    manager.release(searcher);
  }

  /** Growable columns, filled segment by segment. */
  private static final class Builder {
    String[] files = new String[1024];
    long[] sizes = new long[1024];
    long[] mtimes = new long[1024];
    int[] versionOf = new int[1024];
    int[] leafOf = new int[1024];
    int[] docOf = new int[1024];
    final List<Versions> versions = new ArrayList<>();
    final Map<Versions, Integer> versionIds = new HashMap<>();
    int size;

    void add(String file, long size, long mtime, String root, String pipeline, String model, int leaf, int doc) {
      if (this.size == files.length) {
        int n = files.length * 2;
        files = Arrays.copyOf(files, n);
        sizes = Arrays.copyOf(sizes, n);
        mtimes = Arrays.copyOf(mtimes, n);
        versionOf = Arrays.copyOf(versionOf, n);
        leafOf = Arrays.copyOf(leafOf, n);
        docOf = Arrays.copyOf(docOf, n);
      }
      Versions v = new Versions(root, pipeline, model);
      Integer id = versionIds.get(v);
      if (id == null) {
        id = versions.size();
        versions.add(v);
        versionIds.put(v, id);
      }
      files[this.size] = file;
      sizes[this.size] = size;
      mtimes[this.size] = mtime;
      versionOf[this.size] = id;
      leafOf[this.size] = leaf;
      docOf[this.size] = doc;
      this.size++;
    }
  }
}
