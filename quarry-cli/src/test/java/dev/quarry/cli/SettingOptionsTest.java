package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.config.ConfigException;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.embed.EmbedderSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings flags generated from the Setting enum: names, help, precedence, the messages of bad
 * values.
 */
class SettingOptionsTest {
  @Command(name = "some", modelTransformer = SettingOptions.Install.class)
  static final class Some implements Runnable, SettingOptions.Taker {
    final SettingOptions settings =
        SettingOptions.of(
            Setting.WORKERS,
            Setting.FOLLOW_SYMLINKS,
            Setting.MODEL,
            Setting.EMBEDDER,
            Setting.COMMIT_INTERVAL);

    @Override
    public SettingOptions settingOptions() {
      return settings;
    }

    @Override
    public void run() {}
  }

  @Command(name = "all", modelTransformer = SettingOptions.Install.class)
  static final class All implements Runnable, SettingOptions.Taker {
    final SettingOptions settings = SettingOptions.of(Setting.WORKERS, Setting.values());

    @Override
    public SettingOptions settingOptions() {
      return settings;
    }

    @Override
    public void run() {}
  }

  private static Some parse(String... args) {
    Some command = new Some();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void eachOfferedSettingIsAFlagNamedByItsKeyWithHelp() {
    CommandLine.Model.CommandSpec spec = new CommandLine(new Some()).getCommandSpec();
    assertThat(spec.options())
        .extracting(OptionSpec::longestName)
        .containsExactlyInAnyOrder(
            "--workers", "--follow-symlinks", "--model", "--embedder", "--commit-interval");
    OptionSpec workers = spec.findOption("--workers");
    assertThat(workers.paramLabel()).isEqualTo("N");
    assertThat(workers.description()[0])
        .startsWith("Threads reading")
        .contains("(default: all cores");
    assertThat(spec.findOption("--follow-symlinks").arity().max()).isZero();
    assertThat(spec.findOption("--model").description()[0])
        .contains("(default: all-minilm-l6-v2-q)");
  }

  @Test
  void everySettingCanBeAFlag() {
    CommandLine.Model.CommandSpec spec = new CommandLine(new All()).getCommandSpec();
    for (Setting setting : Setting.values()) {
      OptionSpec option = spec.findOption("--" + setting.key());
      assertThat(option).as(setting.key()).isNotNull();
      assertThat(option.description()).as(setting.key()).isNotEmpty();
      assertThat(option.description()[0]).as(setting.key()).isNotBlank().endsWith(".");
    }
    assertThat(Arrays.stream(Setting.values()).map(SettingOptions::flag))
        .contains("--cache-redis-ttl");
  }

  @Test
  void flagsAreParsedByQuarryConfigWithTheFlagAsSource() {
    Some command = parse("--workers", "3", "--follow-symlinks", "--commit-interval", "2m");
    QuarryConfig config = command.settings.applyTo(QuarryConfig.defaults());
    assertThat(config.workers()).isEqualTo(3);
    assertThat(config.source(Setting.WORKERS)).isEqualTo("--workers");
    assertThat(config.followSymlinks()).isTrue();
    assertThat(config.commitInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.source(Setting.MODEL)).isEqualTo("default");
    assertThat(command.settings.given(Setting.WORKERS)).isTrue();
    assertThat(command.settings.given(Setting.MODEL)).isFalse();
  }

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
    QuarryConfig environment =
        QuarryConfig.defaults().withEnvironment(Map.of("QUARRY_WORKERS", "5"));
    QuarryConfig withFlag = parse("--workers", "3").settings.applyTo(environment);
    assertThat(withFlag.workers()).isEqualTo(3);
    QuarryConfig withoutFlag = parse().settings.applyTo(environment);
    assertThat(withoutFlag.workers()).isEqualTo(5);
    assertThat(withoutFlag.source(Setting.WORKERS)).isEqualTo("environment QUARRY_WORKERS");
  }

  @Test
  void aBadValueNamesTheFlagTheSettingAndTheValue() {
    Some command = parse("--workers", "0");
    assertThatThrownBy(() -> command.settings.applyTo(QuarryConfig.defaults()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--workers: workers: '0' is not a whole number of at least 1");
  }

  @Test
  void theEmbedderIsAppliedBeforeTheModelWhateverTheOrderOnTheLine() {
    QuarryConfig config =
        parse("--model", "some-remote-model", "--embedder", "openai:http://127.0.0.1:1/v1")
            .settings
            .applyTo(QuarryConfig.defaults());
    assertThat(config.model()).isEqualTo("some-remote-model");
    assertThat(config.embedder()).isInstanceOf(EmbedderSpec.OpenAi.class);
  }
}
