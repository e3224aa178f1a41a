package dev.quarry.pipeline;

/**
 * What one stage of a run did.
 *
 * @param threads threads the stage ran on
 * @param items items it handled (files, chunks, ...)
 * @param busySeconds time its threads spent working, summed over threads
 * @param waitingForInputSeconds time its threads waited for an item on their input queue
 * @param upstreamBlockedSeconds time the stage before it waited for room on that queue
 *     (backpressure: this stage was too slow for it)
 * @param itemsPerSecond items over the run's wall time
 * @param utilisation busy time over (wall time × threads): the bottleneck is the stage nearest 1
 */
public record StageReport(
    String name,
    int threads,
    long items,
    double busySeconds,
    double waitingForInputSeconds,
    double upstreamBlockedSeconds,
    double itemsPerSecond,
    double utilisation) {}
