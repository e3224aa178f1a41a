/**
 * The resident search server ({@code quarry serve}): an index kept open and served over HTTP
 * (search, status, runs, reconcile). It sits on top of the library's facade, as the CLI does, and
 * takes its HTTP guards (token, Host and Origin checks, read deadlines, admission) from {@link
 * dev.quarry.serve}. {@link dev.quarry.server.SearchServer} is the entry point.
 */
package dev.quarry.server;
