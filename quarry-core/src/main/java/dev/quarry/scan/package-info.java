/**
 * Scanning: walking roots with git's ignore rules ({@code .gitignore} at every level, {@code
 * .git/info/exclude}, global excludes, {@code .quarryignore}), reporting each regular file with the
 * stat data change detection needs, and a typed skip for everything else.
 */
package dev.quarry.scan;
