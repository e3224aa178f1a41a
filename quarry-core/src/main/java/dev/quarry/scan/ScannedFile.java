package dev.quarry.scan;

import java.nio.file.Path;

/**
 * A regular file found by the scan, with the stat data change detection compares against the
 * manifest.
 *
 * @param root the scan root the file was found under
 * @param path the absolute path of the file
 * @param relativePath path relative to {@code root}, '/'-separated; the file's identity in the
 *     index
 * @param size size in bytes at scan time
 * @param mtimeMillis last modification time at scan time, in milliseconds since the epoch
 * @param fileKey the file system's identity of the file (device and inode), or "" when unknown
 */
public record ScannedFile(
    Path root, Path path, String relativePath, long size, long mtimeMillis, String fileKey) {}
