#!/usr/bin/env bash
# CoSQA (issue 13): web questions over Python functions (../shared/data/cosqa, dev split, 500
# queries, 6,267 functions). Each function is written as ID.py, so it is extracted and chunked as
# code; lexical, semantic and hybrid nDCG@10 for each model given (default: the default model).
# One index per model under WORK_DIR, brought up to date incrementally; embeddings go through the
# default disk cache, so a rerun embeds nothing again.
# Usage: bench/cosqa-eval.sh [MODEL...]      e.g. bench/cosqa-eval.sh all-minilm-l6-v2-q minilm-static
#   WORK_DIR   where the files and indexes live (default bench-out/cosqa)
#   FIT=1      also print the fusion sweep (--fit-fusion): each lexical share's score, per method
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "${COSQA_DATA:-$here/../shared/data/cosqa}" && pwd)
work=${WORK_DIR:-$here/bench-out/cosqa}
[ $# -gt 0 ] || set -- all-minilm-l6-v2-q
for model in "$@"; do
  echo "== $model"
  "$here/quarry" eval "$data" --split dev --documents-as py --mode all --model "$model" --work-dir "$work" -q
  if [ "${FIT:-0}" = 1 ]; then
    "$here/quarry" eval "$data" --split dev --documents-as py --fit-fusion --model "$model" --work-dir "$work" -q
  fi
done
