package dev.quarry.cli;

import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.RunListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr at most every {@value #INTERVAL_SECONDS} seconds: one line rewritten in place
 * on a terminal, a new line each time otherwise (logs stay readable). Shows files seen and what
 * became of them, chunks written, and the embedding backlog with its rate and ETA.
 */
final class ProgressPrinter implements RunListener {
  private static final int INTERVAL_SECONDS = 2;
  private static final long INTERVAL_NANOS = INTERVAL_SECONDS * 1_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong unchanged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong embedded = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong lastPrint = new AtomicLong(System.nanoTime());

  ProgressPrinter(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onWarning(String message) {
    synchronized (this) {
      out.println((terminal ? "\r\033[K" : "") + "quarry: warning: " + TerminalText.safe(message));
    }
  }

  @Override
  public void onOutcome(FileOutcome outcome) {
    files.incrementAndGet();
    switch (outcome) {
      case FileOutcome.Indexed i -> {
        indexed.incrementAndGet();
        chunks.addAndGet(i.chunks());
      }
      case FileOutcome.Unchanged u -> unchanged.incrementAndGet();
      case FileOutcome.Failed f -> failed.incrementAndGet();
      default -> {}
    }
    maybePrint();
  }

  @Override
  public void onEmbedded(int count) {
    embedded.addAndGet(count);
    maybePrint();
  }

  @Override
  public void onQueuedForEmbedding(int count) {
    queued.addAndGet(count);
  }

  private void maybePrint() {
    long now = System.nanoTime();
    long last = lastPrint.get();
    if (now - last < INTERVAL_NANOS || !lastPrint.compareAndSet(last, now)) {
      return;
    }
    double seconds = (now - started) / 1e9;
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%,d files: %,d indexed, %,d unchanged, %,d failed; %,d chunks",
                files.get(), indexed.get(), unchanged.get(), failed.get(), chunks.get()));
    long done = embedded.get();
    if (done > 0 || queued.get() > 0) {
      double rate = done / seconds;
      long backlog = Math.max(0, queued.get() - done);
      line.append(String.format("; embedded %,d (%.1f/s), backlog %,d", done, rate, backlog));
      if (rate > 0 && backlog > 0) {
        line.append(String.format(", ETA %s", duration(backlog / rate)));
      }
    }
    line.append(String.format(" [%s]", duration(seconds)));
    synchronized (out) {
      if (terminal) {
        out.print("\r\u001b[2K" + line);
      } else {
        out.println(line);
      }
      out.flush();
    }
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /** Clears the in-place line before the summary is printed. */
  void finish() {
    if (terminal) {
      out.print("\r\u001b[2K");
      out.flush();
    }
  }
}
