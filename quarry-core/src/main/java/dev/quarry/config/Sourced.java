package dev.quarry.config;

/**
 * A setting's value with where it came from ("default", "config file PATH", "environment QUARRY_X",
 * "--flag"), for error messages and {@code quarry config}.
 */
record Sourced<T>(T value, String source) {}
