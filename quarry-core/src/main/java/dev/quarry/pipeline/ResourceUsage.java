package dev.quarry.pipeline;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resource use, for run reports: peak resident memory (from /proc, where there is
 * one), peak heap, and garbage-collection time.
 *
 * @param peakRssBytes the process's high-water resident set size, or -1 where unknown
 * @param peakHeapBytes the sum of the heap pools' peak usage
 * @param gcSeconds time spent collecting garbage since the JVM started
 */
public record ResourceUsage(long peakRssBytes, long peakHeapBytes, double gcSeconds) {

  public static ResourceUsage now() {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    return new ResourceUsage(peakRss(), heap, gcMillis / 1000.0);
  }

  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc unreadable: the report says unknown.
    }
    return -1;
  }
}
