package dev.quarry.pipeline;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The heap that files in flight may take at once. A file is held whole while it is read, decoded
 * and chunked (its bytes, the decoded chars, the chunks' text): about {@link #BYTES_PER_FILE_BYTE}
 * times its size at the peak, measured on a 50 MB log. In an embedding run its chunks then wait for
 * their vectors, and a file's vectors are written with it in one block, so they are all held at
 * once too: 1.5 KB a chunk for 384 dimensions, up to 6 times the text for text of short tokens.
 *
 * <p>A worker takes a {@link Lease} for its file before reading it; once the file is chunked the
 * lease shrinks to what its chunks and vectors need, and it is given back when the file's vectors
 * are written (at once, in a run without embeddings). Workers on large files thus wait for each
 * other, and for the embedder, instead of running the heap out together; and a size cap the heap
 * cannot hold even for one file is refused before a run starts, not found by a crash. Thread-safe.
 */
public final class FileMemory {
  /** Heap per byte of a file at the peak of its processing (bytes, chars, chunks). */
  static final int BYTES_PER_FILE_BYTE = 5;

  /**
   * The same in a run that embeds: the chunks' text and, at worst, six times as much in vectors.
   */
  static final int EMBEDDING_BYTES_PER_FILE_BYTE = 8;

  /** The share of the heap files may take; the rest is the index writer's, queues', caches'. */
  private static final double HEAP_SHARE = 0.8;

  private static final int KIB = 1024;

  /** How often a worker waiting for memory looks whether the run was stopped. */
  private static final long WAIT_SLICE_MILLIS = 200;

  private final Semaphore kibibytes;
  private final int capacityKib;
  private final int bytesPerFileByte;

  private FileMemory(long budgetBytes, int bytesPerFileByte) {
    this.capacityKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budgetBytes / KIB));
    this.kibibytes = new Semaphore(capacityKib, true);
    this.bytesPerFileByte = bytesPerFileByte;
  }

  /** A budget of {@code bytes} (tests). */
  static FileMemory ofBudget(long bytes, boolean embedding) {
    return new FileMemory(bytes, bytesPerFileByte(embedding));
  }

  /** The budget of this JVM's heap, for a run that embeds or not. */
  static FileMemory ofHeap(boolean embedding) {
    return new FileMemory(budget(Runtime.getRuntime().maxMemory()), bytesPerFileByte(embedding));
  }

  private static int bytesPerFileByte(boolean embedding) {
    return embedding ? EMBEDDING_BYTES_PER_FILE_BYTE : BYTES_PER_FILE_BYTE;
  }

  /** The bytes files may take at once in a heap of {@code maxHeap} bytes. */
  static long budget(long maxHeap) {
    return (long) (maxHeap * HEAP_SHARE);
  }

  /** The largest size cap a heap of {@code maxHeap} bytes can honour. */
  public static long largestFileFor(long maxHeap, boolean embedding) {
    return budget(maxHeap) / bytesPerFileByte(embedding);
  }

  /**
   * Checks that this JVM's heap can process a file of {@code maxFileSize} bytes.
   *
   * @param embedding whether the run computes vectors (its files take more heap)
   * @throws IllegalArgumentException saying which heap the cap needs, when it is larger
   */
  public static void requireHeapFor(long maxFileSize, boolean embedding) {
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (maxFileSize > largestFileFor(maxHeap, embedding)) {
      long needed =
          (long) Math.ceil(maxFileSize * (double) bytesPerFileByte(embedding) / HEAP_SHARE);
      throw new IllegalArgumentException(
          mib(maxFileSize)
              + " files need about "
              + mib(needed)
              + " of heap (a file is held in memory while it is decoded and chunked"
              + (embedding ? ", and its vectors until they are written" : "")
              + "), and the heap is "
              + mib(maxHeap)
              + ": lower the size cap to at most "
              + mib(largestFileFor(maxHeap, embedding))
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

  /** A lease for a file of {@code size} bytes if it fits now, else null. */
  Lease tryLease(long size) {
    int grant = grantFor(size);
    return kibibytes.tryAcquire(grant) ? new Lease(grant) : null;
  }

  /**
   * Waits until a file of {@code size} bytes fits with those in flight. A stopped run does not
   * wait: its last files go through unaccounted (returns an empty lease).
   */
  Lease lease(long size, BooleanSupplier stopped) throws InterruptedException {
    int grant = grantFor(size);
    while (!kibibytes.tryAcquire(grant, WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
      if (stopped.getAsBoolean()) {
        return new Lease(0);
      }
    }
    return new Lease(grant);
  }

  private int grantFor(long size) {
    return (int) Math.min(capacityKib, size * bytesPerFileByte / KIB + 1);
  }

  /** What one file in flight holds of the budget. Thread-safe; releasing twice is harmless. */
  final class Lease {
    private int grant;

    private Lease(int grant) {
      this.grant = grant;
    }

    /** Keeps only {@code bytes} of the lease, giving the rest back (never grows it). */
    synchronized void shrinkTo(long bytes) {
      int keep = (int) Math.min(grant, bytes / KIB + 1);
      kibibytes.release(grant - keep);
      grant = keep;
    }

    synchronized void release() {
      kibibytes.release(grant);
      grant = 0;
    }
  }
}
