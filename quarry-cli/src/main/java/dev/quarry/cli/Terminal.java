package dev.quarry.cli;

/** Whether output goes to a person (colours, marks) or to a script (plain text). */
final class Terminal {
  private Terminal() {}

  static boolean isInteractive() {
    return System.console() != null
        && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  static String bold(String text, boolean ansi) {
    return ansi ? "\u001b[1m" + text + "\u001b[0m" : text;
  }

  static String dim(String text, boolean ansi) {
    return ansi ? "\u001b[2m" + text + "\u001b[0m" : text;
  }
}
