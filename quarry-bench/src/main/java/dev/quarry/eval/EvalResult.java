package dev.quarry.eval;

/**
 * Mean metrics over the queries of a split.
 *
 * @param mode the search mode evaluated
 * @param queries queries evaluated (those with at least one judgement)
 */
public record EvalResult(
    String mode, int queries, double ndcgAt10, double recallAt100, double mrrAt10) {}
