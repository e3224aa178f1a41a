package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command-line flags of {@link Setting}s, generated from the enum: each setting's flag is
 * {@code --KEY} ({@link Setting#key()}), its parameter label and help are declared once here, and
 * its value is kept as written and parsed by {@link QuarryConfig#with}, the one parser of flags,
 * environment and config file, so a bad value is reported the same way wherever it comes from.
 *
 * <p>A command that takes settings implements {@link Taker} and names {@code modelTransformer =
 * SettingOptions.Install.class}: picocli then adds the flags of the settings it offers to its spec
 * when it builds it, as a mixin. One instance per command object; not thread-safe (picocli fills it
 * while parsing, the command reads it afterwards).
 */
final class SettingOptions {
  /** Defaults shown in help where the built-in value depends on the machine or the user. */
  private static final Map<Setting, String> DEFAULT_TEXT =
      Map.of(
          Setting.WORKERS, "all cores; 1: sequential",
          Setting.THREADS, "all cores",
          Setting.SCAN_THREADS, "all cores",
          Setting.CACHE_DIR, "~/.cache/quarry; off: none",
          Setting.EMBEDDER, "local");

  private final Set<Setting> offered;

  /**
   * The values given, as picocli set them: the text written, or true for a flag without a value.
   */
  private final Map<Setting, Object> given = new EnumMap<>(Setting.class);

  private SettingOptions(Set<Setting> offered) {
    this.offered = offered;
  }

  /** The flags of these settings. */
  static SettingOptions of(Setting first, Setting... rest) {
    return new SettingOptions(Collections.unmodifiableSet(EnumSet.of(first, rest)));
  }

  /** A command whose settings flags {@link Install} adds to its spec. */
  interface Taker {
    SettingOptions settingOptions();
  }

  /**
   * Adds the flags of the settings of a command that is a {@link Taker}, or has a mixin that is
   * one, to that command (a picocli model transformer; picocli does not run one named by a mixin).
   */
  static final class Install implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      // Idempotent: picocli runs it for a command's annotation, QuarryCli for one added by hand.
      if (spec.userObject() instanceof Taker taker && !spec.mixins().containsKey("settings")) {
        spec.addMixin("settings", taker.settingOptions().mixin());
      }
      for (Map.Entry<String, CommandSpec> mixin : Map.copyOf(spec.mixins()).entrySet()) {
        String name = mixin.getKey() + ".settings";
        if (mixin.getValue().userObject() instanceof Taker taker
            && !spec.mixins().containsKey(name)) {
          spec.addMixin(name, taker.settingOptions().mixin());
        }
      }
      return spec;
    }
  }

  /**
   * Defaults, the config file and the {@code QUARRY_*} variables of {@code environment}, then the
   * flags given (see {@link #applyTo}).
   */
  QuarryConfig load(Map<String, String> environment) {
    return applyTo(QuarryConfig.load(environment));
  }

  /**
   * {@code base} with the flags given applied, in {@link Setting} order (the embedder before the
   * model, whose valid names depend on it), each with source {@code --KEY}: flags win over the
   * environment, the config file and the defaults.
   *
   * @throws dev.quarry.config.ConfigException naming the flag, the setting and the value when one
   *     is not valid
   */
  QuarryConfig applyTo(QuarryConfig base) {
    QuarryConfig config = base;
    for (Map.Entry<Setting, Object> flag : given.entrySet()) {
      config = config.with(flag.getKey(), String.valueOf(flag.getValue()), flag(flag.getKey()));
    }
    return config;
  }

  /** Whether the command line gave {@code setting}. */
  boolean given(Setting setting) {
    return given.containsKey(setting);
  }

  static String flag(Setting setting) {
    return "--" + setting.key();
  }

  private CommandSpec mixin() {
    CommandSpec mixin = CommandSpec.create();
    QuarryConfig defaults = QuarryConfig.defaults();
    for (Setting setting : offered) {
      mixin.addOption(option(setting, defaults));
    }
    return mixin;
  }

  private OptionSpec option(Setting setting, QuarryConfig defaults) {
    Help help = help(setting);
    String shownDefault = DEFAULT_TEXT.getOrDefault(setting, defaults.display(setting));
    OptionSpec.Builder option =
        OptionSpec.builder(flag(setting))
            .description(
                help.text() + (help.showDefault() ? " (default: " + shownDefault + ")." : "."))
            .getter(
                new CommandLine.Model.IGetter() {
                  @Override
                  @SuppressWarnings("unchecked")
                  public <T> T get() {
                    return (T) given.get(setting);
                  }
                })
            .setter(
                new CommandLine.Model.ISetter() {
                  @Override
                  @SuppressWarnings("unchecked")
                  public <T> T set(T value) {
                    return (T) (value == null ? given.remove(setting) : given.put(setting, value));
                  }
                });
    if (help.label() == null) {
      option.type(Boolean.class).arity("0"); // a flag: given means true
    } else {
      option.type(String.class).paramLabel(help.label());
    }
    return option.build();
  }

  /** A flag's parameter label (null: a flag without a value) and help, without the default. */
  private record Help(String label, String text, boolean showDefault) {}

  private static Help help(Setting setting) {
    return switch (setting) {
      case STORE ->
          new Help(
              "STORE",
              "Where the index lives: embedded, or solr:http://HOST:PORT/solr/COLLECTION"
                  + "[?shards=N&replicas=R] (a SolrCloud collection, created when missing)",
              true);
      case WORKERS ->
          new Help("N", "Threads reading, extracting, chunking and writing files", true);
      case THREADS -> new Help("N", "Embedding threads", true);
      case BATCH_SIZE -> new Help("N", "Chunks per call to the embedding model", true);
      case COMMIT_INTERVAL ->
          new Help("DURATION", "Longest time between commits, e.g. 30s, 2m", true);
      case COMMIT_CHUNKS -> new Help("N", "Most chunks written between commits", true);
      case MAX_FILE_SIZE -> new Help("SIZE", "Skip files larger than this", true);
      case FOLLOW_SYMLINKS -> new Help(null, "Follow symbolic links (loops are detected)", false);
      case SCAN_THREADS -> new Help("N", "Threads walking directories", true);
      case EMBEDDER ->
          new Help(
              "SPEC",
              "Where vectors come from: local or openai:URL, an OpenAI-compatible endpoint "
                  + "such as 'quarry serve --embeddings' (API key from $QUARRY_EMBEDDER_API_KEY); for an existing index "
                  + "it must give the index's model",
              true);
      case EMBEDDER_CONCURRENCY ->
          new Help("N", "Requests in flight at once to a remote embedder", true);
      case EMBEDDER_MAX_TOKENS ->
          new Help("N", "Token window of a remote model (unless its server reports one)", true);
      case MODEL ->
          new Help(
              "NAME",
              "Embedding model: "
                  + String.join(", ", Quarry.models())
                  + ", or a remote embedder's model",
              true);
      case CHUNKER ->
          new Help(
              "KIND",
              "How code is chunked: lines, or syntax (tree-sitter; lines where it cannot parse)",
              true);
      case CACHE_DIR -> new Help("DIR", "Disk embedding cache, shared by all indexes", true);
      case CACHE_SIZE -> new Help("SIZE", "Most the disk cache may hold", true);
      case CACHE_REDIS ->
          new Help(
              "URI",
              "Shared embedding cache server, redis://host:port or rediss:// for TLS"
                  + " (password from $QUARRY_CACHE_REDIS_PASSWORD)",
              true);
      case CACHE_REDIS_KEY_FILE ->
          new Help(
              "FILE",
              "Team key signing shared cache entries (or $QUARRY_CACHE_REDIS_KEY); none: checksum"
                  + " only",
              true);
      case CACHE_REDIS_TTL ->
          new Help("DURATION", "How long the shared cache keeps a vector, e.g. 30d", true);
    };
  }
}
