/**
 * The {@code quarry} command line (picocli). One class per subcommand; options shared by several
 * commands are mixins ({@link dev.quarry.cli.IndexLocation}, {@link dev.quarry.cli.JsonOption},
 * {@link dev.quarry.cli.OutputOptions}, and the settings flags {@link
 * dev.quarry.cli.SettingOptions} generates from {@link dev.quarry.config.Setting}). Commands print
 * through picocli's writers, never {@code System.out}/{@code System.err}; the user's mistakes are
 * {@link dev.quarry.cli.UsageException}s; {@link dev.quarry.cli.ExitCodes} maps every exception to
 * its exit code, and only {@link dev.quarry.cli.QuarryCli#main} calls {@code System.exit}.
 */
package dev.quarry.cli;
