#!/usr/bin/env bash
# Code search (issue 13): Quarry's chunk-level NDCG@10 on ../shared/data/codesearch (21 repositories,
# 421 queries; its README defines the metric), per repository, category, language and overall, with
# the published scores of semble, CodeRankEmbed hybrid and BM25 (from repos.json) beside it.
# One index per repository in WORK_DIR, brought up to date incrementally: a rerun reads nothing.
# Embeddings go through the default disk cache, so a rerun of semantic/hybrid embeds nothing again.
# Lexical over all 21: about a minute. Semantic/hybrid embed 29k chunks first (~40 chunks/s on the
# 2-core machine: 6 to 12 minutes); later runs reuse them. minilm-static embeds them in seconds.
# Usage: bench/codesearch-eval.sh [MODE...]   MODE: lexical, semantic, hybrid (default: all three,
#        one table with a column each)
#   REPOS=bats-core,express   only these repositories (quick runs)
#   WORK_DIR                  where the indexes live (default bench-out/codesearch)
#   MODEL=minilm-static       the embedding model (default: the default model)
#   CHUNKER=syntax            syntax-aware chunks (tree-sitter) instead of line chunks
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "${CODESEARCH_DATA:-$here/../shared/data/codesearch}" && pwd)
work=${WORK_DIR:-$here/bench-out/codesearch}
extra=()
[ -z "${MODEL:-}" ] || extra+=(--model "$MODEL")
[ -z "${CHUNKER:-}" ] || extra+=(--chunker "$CHUNKER")
if [ -n "${REPOS:-}" ]; then
  extra+=(--repos "$REPOS")
fi
if [ $# -eq 0 ] || [ "$*" = "lexical semantic hybrid" ]; then
  set -- all
fi
for mode in "$@"; do
  case "$mode" in
    lexical | semantic | hybrid | all) ;;
    *) echo "codesearch-eval.sh: unknown mode '$mode' (lexical, semantic, hybrid)" >&2; exit 2 ;;
  esac
  "$here/quarry" eval "$data" --mode "$mode" --work-dir "$work" "${extra[@]}"
done
