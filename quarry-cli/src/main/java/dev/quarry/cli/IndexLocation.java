package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.Setting;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.RemoteStore;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --index DIR} and {@code --store STORE} options of commands that read an existing index
 * (a picocli mixin; the store is a setting, also from {@code QUARRY_STORE} and the config file).
 */
final class IndexLocation implements SettingOptions.Taker {
  /** The usage error of a command given both: a store has no folder. */
  static final String INDEX_WITH_STORE =
      "--index names a folder; with --store the index is the store's";

  private final SettingOptions settings = SettingOptions.of(Setting.STORE);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  /**
   * The remote store the options, environment or config file name, opened (close it), or empty for
   * the embedded index.
   *
   * @throws UsageException when both a store and --index are given
   */
  Optional<RemoteStore> remote() {
    Optional<String> store = settings.load(System.getenv()).store();
    if (store.isPresent() && indexDir != null) {
      throw new UsageException(INDEX_WITH_STORE);
    }
    return store.map(Quarry::remoteStore);
  }

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "Index directory, or a root holding .quarry (default: found from the current directory upwards).")
  Path indexDir;

  /**
   * The index the option names, or the one found from the working directory the way git finds .git.
   */
  Path locate() throws IndexMissingException, IndexBusyException {
    return IndexLocator.locate(indexDir, Path.of(""));
  }
}
