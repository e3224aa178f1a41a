package dev.quarry.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/** Finds the user's global git excludes file the way git does. */
final class GlobalExcludes {
  private GlobalExcludes() {}

  /**
   * {@code core.excludesFile} from {@code ~/.gitconfig} (or {@code $XDG_CONFIG_HOME/git/config}),
   * else {@code $XDG_CONFIG_HOME/git/ignore}, else {@code ~/.config/git/ignore}.
   */
  static Optional<Path> locate() {
    return locate(Path.of(System.getProperty("user.home")), System.getenv("XDG_CONFIG_HOME"));
  }

  static Optional<Path> locate(Path home, String xdg) {
    Path configHome = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
    for (Path config : new Path[] {home.resolve(".gitconfig"), configHome.resolve("git/config")}) {
      String configured = excludesFileSetting(config);
      if (configured != null) {
        return Optional.of(
            configured.startsWith("~/")
                ? home.resolve(configured.substring(2))
                : Path.of(configured));
      }
    }
    return Optional.of(configHome.resolve("git/ignore"));
  }

  private static String excludesFileSetting(Path configFile) {
    if (!Files.isRegularFile(configFile)) {
      return null;
    }
    try {
      Config config = new Config();
      config.fromText(Files.readString(configFile));
      return config.getString("core", null, "excludesfile");
    } catch (IOException | ConfigInvalidException e) {
      // An unreadable or malformed git config means no global excludes, as for git itself.
      return null;
    }
  }
}
