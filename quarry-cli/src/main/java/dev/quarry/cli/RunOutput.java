package dev.quarry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.quarry.pipeline.RunReport;
import java.util.List;

/**
 * What {@code index --json} and {@code sync --json} print: the run's report, its keys at the top
 * level, followed by the index it ran on and, for {@code sync -v}, each action.
 *
 * @param actions null (and left out) unless asked for
 */
record RunOutput(
    @JsonUnwrapped RunReport report,
    String index,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Action> actions) {

  /**
   * One file's outcome in a sync: indexed, unchanged, deleted, skipped or failed, with a detail.
   */
  record Action(String action, String path, String detail) {}
}
