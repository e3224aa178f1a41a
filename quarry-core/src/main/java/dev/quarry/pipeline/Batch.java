package dev.quarry.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Items passed between two stages at once, and the bytes of text they hold. */
record Batch<T>(List<T> items, long bytes) {
  /**
   * Items per batch: one queue hand-off (and at most one thread wake-up) per batch instead of per
   * file, which on a no-op run of 300k files is most of the cost.
   */
  static final int ITEMS = 128;

  /** A batch being filled by one thread. */
  static final class Builder<T> {
    private List<T> items = new ArrayList<>(ITEMS);
    private long bytes;

    void add(T item, long itemBytes) {
      items.add(item);
      bytes += itemBytes;
    }

    int size() {
      return items.size();
    }

    boolean isEmpty() {
      return items.isEmpty();
    }

    /** Bytes of text held so far. */
    long bytes() {
      return bytes;
    }

    Batch<T> take() {
      Batch<T> batch = new Batch<>(items, bytes);
      items = new ArrayList<>(ITEMS);
      bytes = 0;
      return batch;
    }
  }
}
