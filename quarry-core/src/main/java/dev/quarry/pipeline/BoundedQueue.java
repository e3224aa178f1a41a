package dev.quarry.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A blocking FIFO between two pipeline stages, bounded both by item count and by the bytes its
 * items hold, so that memory does not depend on how large the files are. A producer blocks while
 * either bound is reached (backpressure); an item larger than the byte bound alone is still let
 * through when the queue is empty, so no item can block forever. Thread-safe.
 *
 * <p>It also measures how long producers waited for room and consumers waited for items: the run
 * report names the bottleneck stage from these.
 */
final class BoundedQueue<T> {
  private final int maxItems;
  private final long maxBytes;
  private final ToLongFunction<T> weigher;
  private final Deque<T> items = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private long bytes;
  private long putWaitNanos;
  private long takeWaitNanos;
  private long peakItems;
  private long peakBytes;

  BoundedQueue(int maxItems, long maxBytes, ToLongFunction<T> weigher) {
    if (maxItems < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "queue bounds must be positive: " + maxItems + " items, " + maxBytes + " bytes");
    }
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.weigher = weigher;
  }

  void put(T item) throws InterruptedException {
    offer(item, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
  }

  /** Adds {@code item}, waiting at most {@code timeout} for room; false when there was none. */
  boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
    long weight = weigher.applyAsLong(item);
    lock.lockInterruptibly();
    try {
      long start = System.nanoTime();
      long remaining = unit.toNanos(timeout);
      while (!items.isEmpty() && (items.size() >= maxItems || bytes + weight > maxBytes)) {
        if (remaining <= 0) {
          putWaitNanos += System.nanoTime() - start;
          return false;
        }
        remaining = notFull.awaitNanos(remaining);
      }
      putWaitNanos += System.nanoTime() - start;
      items.addLast(item);
      bytes += weight;
      peakItems = Math.max(peakItems, items.size());
      peakBytes = Math.max(peakBytes, bytes);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  T take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long start = System.nanoTime();
      while (items.isEmpty()) {
        notEmpty.await();
      }
      takeWaitNanos += System.nanoTime() - start;
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting at most {@code timeout}; null when none came. */
  T poll(long timeout, TimeUnit unit) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long start = System.nanoTime();
      long remaining = unit.toNanos(timeout);
      while (items.isEmpty()) {
        if (remaining <= 0) {
          takeWaitNanos += System.nanoTime() - start;
          return null;
        }
        remaining = notEmpty.awaitNanos(remaining);
      }
      takeWaitNanos += System.nanoTime() - start;
      return removeFirst();
    } finally {
      lock.unlock();
    }
  }

  private T removeFirst() {
    T item = items.removeFirst();
    bytes -= weigher.applyAsLong(item);
    notFull.signalAll();
    return item;
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes held now, as weighed when they were put. */
  long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Wait times and high-water marks so far. */
  record Stats(long putWaitNanos, long takeWaitNanos, long peakItems, long peakBytes) {}

  Stats stats() {
    lock.lock();
    try {
      return new Stats(putWaitNanos, takeWaitNanos, peakItems, peakBytes);
    } finally {
      lock.unlock();
    }
  }
}
