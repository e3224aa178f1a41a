/**
 * Change lists: the paths {@code quarry sync --stdin} is told have changed, as bare paths (one per
 * line, or NUL-separated as {@code find -print0} writes them) or as {@code git diff --name-status}
 * output, parsed by {@link dev.quarry.changes.ChangeListParser} into {@link
 * dev.quarry.changes.ChangeEntry} and {@link dev.quarry.changes.BadRecord} values, one record at a
 * time.
 *
 * <p>Parsing only: paths come out as given, relative or absolute. Resolving them against the
 * index's roots, looking at the file system and applying the changes are the caller's. This package
 * depends on no other Quarry package.
 */
package dev.quarry.changes;
