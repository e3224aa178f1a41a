/**
 * Keeping an index live: {@link dev.quarry.watch.TreeWatcher} watches the roots (recursively,
 * honouring the scan's ignore rules) and reports debounced batches of paths that may have changed,
 * or that only a walk can tell ({@link dev.quarry.watch.WatchEvent}); {@link
 * dev.quarry.watch.LiveIndex} applies them one run at a time through the same pipeline as {@code
 * quarry sync} (a start-up index run first, an index run for each reconcile). {@code quarry serve}
 * drives a {@code LiveIndex} and shows its {@code status()}.
 *
 * <p>Limits: one inotify watch per directory entered (the kernel's {@code
 * fs.inotify.max_user_watches} bounds the tree; reaching it fails the start with the kernel's
 * message, or later becomes a reconcile); symbolic links are not followed by the watch; a burst
 * beyond the kernel's event queue (16384 by default) or, before JDK 24, beyond 512 events queued on
 * one directory becomes a reconcile.
 */
package dev.quarry.watch;
