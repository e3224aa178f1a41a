package dev.quarry.cli;

import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    description = {
      "Show the settings 'quarry index' would use and where each comes from.",
      "Layers, later winning: defaults; the config file ($QUARRY_CONFIG, else",
      "$XDG_CONFIG_HOME/quarry/config.properties or ~/.config/quarry/config.properties; keys as below);",
      "QUARRY_* environment variables; command-line flags."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin JsonOption json;

  /**
   * One setting of {@code config --json}, under its key.
   *
   * @param source where the value comes from: default, the config file, the environment or a flag
   * @param environment the environment variable that sets it
   */
  record SettingOutput(String value, String source, String environment) {}

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    QuarryConfig config = QuarryConfig.load(System.getenv());
    if (json.enabled) {
      Map<String, SettingOutput> out = new LinkedHashMap<>();
      for (Setting s : Setting.values()) {
        out.put(
            s.key(),
            new SettingOutput(config.display(s), config.source(s), s.environmentVariable()));
      }
      stdout.println(Json.write(out));
      return ExitCodes.OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SETTING", "VALUE", "SOURCE", "ENVIRONMENT", "MEANING"});
    for (Setting s : Setting.values()) {
      rows.add(
          new String[] {
            s.key(), config.display(s), config.source(s), s.environmentVariable(), s.description()
          });
    }
    int[] widths = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      stdout.printf(
          "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %-" + widths[3]
              + "s  %s%n",
          (Object[]) row);
    }
    return ExitCodes.OK;
  }
}
