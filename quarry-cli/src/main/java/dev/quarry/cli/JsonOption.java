package dev.quarry.cli;

import picocli.CommandLine.Option;

/** The {@code --json} option of commands with a machine-readable result (a picocli mixin). */
final class JsonOption {
  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean enabled;
}
