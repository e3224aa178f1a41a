package dev.quarry.cli;

import dev.quarry.pipeline.RunReport;
import dev.quarry.pipeline.StageReport;
import java.io.PrintWriter;
import java.util.List;

/** Prints a run report's stages as a small table, the bottleneck marked. */
final class StageTable {
  private StageTable() {}

  static void print(PrintWriter out, RunReport run) {
    String bottleneck = run.bottleneck() == null ? "" : run.bottleneck();
    out.printf(
        "  %-26s %7s %9s %8s %8s %9s %6s%n",
        "stage", "threads", "items", "busy s", "idle s", "items/s", "util");
    for (StageReport stage : run.stages() == null ? List.<StageReport>of() : run.stages()) {
      out.printf(
          "  %-26s %7d %9d %8.1f %8.1f %9.1f %5.0f%%%s%n",
          stage.name(),
          stage.threads(),
          stage.items(),
          stage.busySeconds(),
          stage.waitingForInputSeconds(),
          stage.itemsPerSecond(),
          100 * stage.utilisation(),
          stage.name().equals(bottleneck) ? "  <- bottleneck" : "");
    }
  }
}
