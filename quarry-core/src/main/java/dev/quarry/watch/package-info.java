/**
 * Keeping an index live: {@link dev.quarry.watch.TreeWatcher} watches the roots (recursively,
 * honouring the scan's ignore rules) and reports debounced batches of paths that may have changed,
 * or that only a walk can tell ({@link dev.quarry.watch.WatchEvent}); {@link
 * dev.quarry.watch.LiveIndex} applies them one run at a time through the same pipeline as {@code
 * quarry sync} (a start-up index run first, an index run for each reconcile). {@code quarry serve}
 * drives a {@code LiveIndex} and shows its {@code status()}.
 */
package dev.quarry.watch;
