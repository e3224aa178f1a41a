package dev.quarry.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code -q/--quiet}, the output options of commands that report progress on
 * stderr while they work (a picocli mixin). Either one turns the progress off.
 */
final class OutputOptions {
  @Mixin JsonOption json;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress output.")
  boolean quiet;

  /** Whether the result is printed as JSON. */
  boolean json() {
    return json.enabled;
  }

  /** Whether progress is shown: neither {@code --quiet} nor {@code --json}. */
  boolean progress() {
    return !quiet && !json.enabled;
  }
}
