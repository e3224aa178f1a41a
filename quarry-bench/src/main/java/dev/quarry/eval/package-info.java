/** Retrieval quality: BEIR-format evaluation (nDCG@10, Recall@100, MRR@10) of the real pipeline. */
package dev.quarry.eval;
