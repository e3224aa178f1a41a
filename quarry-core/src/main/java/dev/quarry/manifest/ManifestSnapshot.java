package dev.quarry.manifest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest of one commit, held compactly for change detection: per file only what deciding
 * "unchanged" needs (name, size, mtime, versions), in flat arrays with an open-addressing table,
 * about a hundred bytes a file instead of a full {@link ManifestEntry} in a map. The full entry of
 * a file whose stat changed is read back from the store on demand, from the same commit, through
 * its {@link EntrySource} (which the snapshot closes when it is closed). Store-neutral: each store
 * fills a {@link Builder} from its commit, with a locator per entry that only it interprets.
 *
 * <p>Slots number the entries 0..size-1; lookups are thread-safe (the snapshot is immutable).
 */
public final class ManifestSnapshot implements Closeable {
  /** Reads full entries back from the snapshot's commit, by the locators the store gave. */
  public interface EntrySource extends Closeable {
    ManifestEntry entry(long locator) throws IOException;
  }

  private final EntrySource source;
  private final String[] files;
  private final long[] sizes;
  private final long[] mtimes;

  /** Index of the entry's (root, pipeline, model) in {@link #versions}: a tree has a handful. */
  private final int[] versionOf;

  private final List<Versions> versions;

  /** Where the store finds each entry's full record (its own encoding). */
  private final long[] locators;

  /** Open addressing: slot + 1, 0 for empty; capacity a power of two at least twice the size. */
  private final int[] table;

  private final int size;

  /** The low-cardinality columns of an entry, shared by the entries that have the same. */
  private record Versions(String root, String pipeline, String model) {}

  private ManifestSnapshot(EntrySource source, Builder b) {
    this.source = source;
    this.size = b.size;
    this.files = Arrays.copyOf(b.files, size);
    this.sizes = Arrays.copyOf(b.sizes, size);
    this.mtimes = Arrays.copyOf(b.mtimes, size);
    this.versionOf = Arrays.copyOf(b.versionOf, size);
    this.locators = Arrays.copyOf(b.locators, size);
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
    return sizes[slot] == size
        && mtimes[slot] == mtimeMillis
        && v.pipeline().equals(pipeline)
        && (model == null || v.model().equals(model));
  }

  /** The slot's full entry, read from the snapshot's commit. */
  public ManifestEntry entry(int slot) {
    try {
      return source.entry(locators[slot]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest entry of " + files[slot], e);
    }
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Growable columns, filled by a store from one commit. Not thread-safe. */
  public static final class Builder {
    String[] files = new String[1024];
    long[] sizes = new long[1024];
    long[] mtimes = new long[1024];
    int[] versionOf = new int[1024];
    long[] locators = new long[1024];
    final List<Versions> versions = new ArrayList<>();
    final Map<Versions, Integer> versionIds = new HashMap<>();
    int size;

    /** Adds a file's entry; {@code locator} tells the store's {@link EntrySource} where it is. */
    public void add(
        String file,
        long size,
        long mtime,
        String root,
        String pipeline,
        String model,
        long locator) {
      if (this.size == files.length) {
        int n = files.length * 2;
        files = Arrays.copyOf(files, n);
        sizes = Arrays.copyOf(sizes, n);
        mtimes = Arrays.copyOf(mtimes, n);
        versionOf = Arrays.copyOf(versionOf, n);
        locators = Arrays.copyOf(locators, n);
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
      locators[this.size] = locator;
      this.size++;
    }

    /** The snapshot of what was added, reading full entries through {@code source}. */
    public ManifestSnapshot build(EntrySource source) {
      return new ManifestSnapshot(source, this);
    }
  }
}
