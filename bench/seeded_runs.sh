#!/usr/bin/env bash
# Consecutive runs of the fast suite (no Neo4j, no browser), each in its own test order and with
# its own Hypothesis seed: a test that depends on another's leftovers, on the order, or on luck
# fails in one of them. Not a CI step (CI replays fixed examples in a fixed order).
#
#   python -m pip install pytest-randomly      # the order (kept out of the dev group: CI runs in file order)
#   bash bench/seeded_runs.sh 101 120          # seeds 101 to 120, one run each; a line per run in $TMPDIR/seeded-runs.txt
#
# A failing seed is replayed with the command in its log's first line.
set -uo pipefail
first=${1:-1}
last=${2:-20}
out=${SEEDED_RUNS_OUT:-${TMPDIR:-/tmp}/seeded-runs.txt}
unset CI  # with CI=true Hypothesis replays its fixed examples: every seed would be the same run
for n in $(seq "$first" "$last"); do
  log=$(mktemp "${TMPDIR:-/tmp}/seeded-run-$n.XXXXXX.log")
  cmd=(python -m pytest -q -m "not neo4j and not browser" -p randomly "--randomly-seed=$n" "--hypothesis-seed=$n" -p no:cacheprovider)
  echo "${cmd[*]}" > "$log"
  start=$(date +%s)
  "${cmd[@]}" >> "$log" 2>&1
  rc=$?
  echo "seed=$n exit=$rc seconds=$(( $(date +%s) - start )) $(tail -1 "$log") log=$log" | tee -a "$out"
done
