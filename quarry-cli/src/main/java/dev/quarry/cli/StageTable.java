package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Prints a run report's stages as a small table, the bottleneck marked. */
final class StageTable {
  private StageTable() {}

  static void print(PrintWriter out, JsonNode run) {
    String bottleneck = run.path("bottleneck").asText();
    out.printf("  %-26s %7s %9s %8s %8s %9s %6s%n", "stage", "threads", "items", "busy s", "idle s", "items/s", "util");
    for (JsonNode stage : run.path("stages")) {
      String name = stage.path("name").asText();
      out.printf("  %-26s %7d %9d %8.1f %8.1f %9.1f %5.0f%%%s%n", name, stage.path("threads").asInt(),
          stage.path("items").asLong(), stage.path("busySeconds").asDouble(),
          stage.path("waitingForInputSeconds").asDouble(), stage.path("itemsPerSecond").asDouble(),
          100 * stage.path("utilisation").asDouble(), name.equals(bottleneck) ? "  <- bottleneck" : "");
    }
  }
}
