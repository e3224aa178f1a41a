package dev.quarry.cli;

import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.RunListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints a progress line to stderr at most every two seconds: overwritten in place on a terminal,
 * one line each time otherwise (logs stay readable).
 */
final class ProgressPrinter implements RunListener {
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong embedded = new AtomicLong();
  private volatile long lastPrint = System.nanoTime();

  ProgressPrinter(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onOutcome(FileOutcome outcome) {
    files.incrementAndGet();
    if (outcome instanceof FileOutcome.Indexed) {
      indexed.incrementAndGet();
    } else if (outcome instanceof FileOutcome.Failed) {
      failed.incrementAndGet();
    }
    maybePrint();
  }

  @Override
  public void onEmbedded(int count) {
    embedded.addAndGet(count);
    maybePrint();
  }

  private void maybePrint() {
    long now = System.nanoTime();
    if (now - lastPrint < INTERVAL_NANOS) {
      return;
    }
    lastPrint = now;
    double seconds = (now - started) / 1e9;
    String line = String.format(
        "%,d files (%,d indexed, %,d failed), %,d chunks embedded (%.1f/s), %.0fs",
        files.get(), indexed.get(), failed.get(), embedded.get(), embedded.get() / seconds, seconds);
    if (terminal) {
      out.print("\r\u001b[2K" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Clears the in-place line before the summary is printed. */
  void finish() {
    if (terminal) {
      out.print("\r\u001b[2K");
      out.flush();
    }
  }
}
