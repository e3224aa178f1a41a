package dev.quarry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How much of the machine's CPU other processes used while a benchmark ran: the busy share of all
 * cores from {@code /proc/stat}, minus this process's own CPU time. On a shared machine this is
 * what makes two runs incomparable (samples within one run share the same neighbours, so a rank
 * test compares machine states, not code); the suite records it and the CLI warns about it. Linux
 * only; elsewhere nothing is measured. Not thread-safe.
 */
final class CpuContention {
  private final long startNanos = System.nanoTime();
  private final long startOwnCpu = ownCpuNanos();
  private final long[] startStat = procStat();

  /** Other processes' share of all cores since construction, in [0, 1]; empty where unknown. */
  OptionalDouble otherShare() {
    long[] end = procStat();
    long ownCpu = ownCpuNanos();
    if (startStat == null || end == null || startOwnCpu < 0 || ownCpu < 0) {
      return OptionalDouble.empty();
    }
    long busy = end[0] - startStat[0];
    long total = end[1] - startStat[1];
    double wall = System.nanoTime() - startNanos;
    if (total <= 0 || wall <= 0) {
      return OptionalDouble.empty();
    }
    double own = (ownCpu - startOwnCpu) / (wall * Runtime.getRuntime().availableProcessors());
    return OptionalDouble.of(Math.max(0, Math.min(1, (double) busy / total - own)));
  }

  private static long ownCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** {busy, total} jiffies of all cores, from the first line of /proc/stat; null where absent. */
  private static long[] procStat() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 8) {
        return null;
      }
      // user nice system idle iowait irq softirq [steal ...]; guest time is already in user.
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return new long[] {busy, busy + idle};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
