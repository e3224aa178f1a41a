package dev.quarry.pipeline;

import java.util.concurrent.Semaphore;

/**
 * The heap that files being processed may take at once. A file is held whole while it is read,
 * decoded and chunked (its bytes, the decoded chars, the chunks' text): about {@link
 * #BYTES_PER_FILE_BYTE} times its size at the peak, measured on a 50 MB log. Workers take their
 * file's share before reading it and give it back once its chunks are written, so several workers
 * on large files wait for each other instead of running the heap out together; and a size cap the
 * heap cannot hold even for one file is refused before a run starts, not found by a crash.
 * Thread-safe.
 */
public final class FileMemory {
  /** Heap per byte of a file at the peak of its processing (bytes, chars, chunks). */
  static final int BYTES_PER_FILE_BYTE = 5;

  /** The share of the heap files may take; the rest is the index writer's, queues', caches'. */
  private static final double HEAP_SHARE = 0.8;

  private static final int KIB = 1024;

  private final Semaphore kibibytes;
  private final int capacityKib;

  private FileMemory(long budgetBytes) {
    this.capacityKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / KIB));
    this.kibibytes = new Semaphore(capacityKib, true);
  }

  /** The budget of this JVM's heap. */
  static FileMemory ofHeap() {
    return new FileMemory(budget(Runtime.getRuntime().maxMemory()));
  }

  /** The bytes files may take at once in a heap of {@code maxHeap} bytes. */
  static long budget(long maxHeap) {
    return (long) (maxHeap * HEAP_SHARE);
  }

  /** The largest size cap a heap of {@code maxHeap} bytes can honour. */
  public static long largestFileFor(long maxHeap) {
    return budget(maxHeap) / BYTES_PER_FILE_BYTE;
  }

  /**
   * Checks that this JVM's heap can process a file of {@code maxFileSize} bytes.
   *
   * @throws IllegalArgumentException saying which heap the cap needs, when it is larger
   */
  public static void requireHeapFor(long maxFileSize) {
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (maxFileSize > largestFileFor(maxHeap)) {
      long needed = (long) Math.ceil(maxFileSize * (double) BYTES_PER_FILE_BYTE / HEAP_SHARE);
      throw new IllegalArgumentException(
          mib(maxFileSize)
              + " files need about "
              + mib(needed)
              + " of heap (a file is held in memory while it is decoded and chunked), and the"
              + " heap is "
              + mib(maxHeap)
              + ": lower the size cap to at most "
              + mib(largestFileFor(maxHeap))
              + ", or raise the heap (QUARRY_HEAP="
              + suggestedHeapMib(needed)
              + "m)");
    }
  }

  /**
   * A heap limit (-Xmx) giving at least {@code needed} usable bytes: the JVM reports a little less
   * than its limit as usable (a survivor space), so a tenth more, in steps of 64 MiB.
   */
  private static long suggestedHeapMib(long needed) {
    long mib = (long) Math.ceil(needed * 1.1 / (1 << 20));
    return (mib + 63) / 64 * 64;
  }

  private static String mib(long bytes) {
    return (bytes + (1 << 19)) / (1 << 20) + " MiB";
  }

  /**
   * Waits until a file of {@code size} bytes fits with those in process; returns the grant to give
   * back to {@link #release}.
   */
  int acquire(long size) throws InterruptedException {
    long wanted = size * BYTES_PER_FILE_BYTE / KIB + 1;
    int grant = (int) Math.min(capacityKib, wanted);
    kibibytes.acquire(grant);
    return grant;
  }

  void release(int grant) {
    kibibytes.release(grant);
  }
}
