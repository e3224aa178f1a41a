/**
 * Quarry's settings as one typed value, {@link dev.quarry.config.QuarryConfig}, read at the edge
 * from defaults, a properties file and {@code QUARRY_*} environment variables, with command-line
 * flags applied last by the caller. Every value says where it came from, so a bad one is reported
 * with its source.
 */
package dev.quarry.config;
