#!/usr/bin/env bash
# Append latency of a compacted log while its cleaner runs back to back, at the storage level, before
# and after the LogWriter became the only door (method: BENCHMARKS.md, "Produce latency while the log
# cleaner runs"). No HTTP and no node: what is measured is the log's own locks and threads.
#
# Usage: bench/append-while-cleaning.sh BASE_JAR [JAR]
#   BASE_JAR: target/sluice.jar built at a7d9f6f (git worktree add --detach ../base a7d9f6f, then
#   mvn -B -q -DskipTests package there); JAR: this tree's (default target/sluice.jar).
# For ROUNDS rounds, the order reversed every other round, each jar runs its harness (the same
# program for each API: bench/append-while-cleaning/*.java, run as single-file source) for DURATION_S s
# after 5 s of warm-up: one thread appends one keyed record (KEYS keys) at a time, open loop at
# RATE/s, as a partition's event loop does (inline when the writer is idle, else through it); another
# cleans the log each time a segment of SEGMENT_BYTES rolls. Prints each run and the medians.
# Knobs (env): ROUNDS=5 DURATION_S=15 RATE=1000 KEYS=100 SEGMENT_BYTES=16384
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE_JAR=${1:?usage: bench/append-while-cleaning.sh BASE_JAR [JAR]}; JAR=${2:-$ROOT/target/sluice.jar}
ROUNDS=${ROUNDS:-5}; DURATION_S=${DURATION_S:-15}; RATE=${RATE:-1000}; KEYS=${KEYS:-100}; SEGMENT_BYTES=${SEGMENT_BYTES:-16384}
OUT=$ROOT/bench/results/append-while-cleaning-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
run() { # label jar source round
  local f=$OUT/$1-r$4.txt
  java -Xms512m -Xmx512m -cp "$2" "$ROOT/bench/append-while-cleaning/$3" "$SEGMENT_BYTES" "$DURATION_S" "$RATE" "$KEYS" > "$f" 2>&1
  printf '%s\t%s' "$1" "$4" >> "$OUT/values.tsv"
  for m in p50 p90 p99 p999 max; do printf '\t%s' "$(awk -v k="append.${m}_ms" '$2 == k { print $3 }' "$f")" >> "$OUT/values.tsv"; done
  printf '\t%s\n' "$(awk '$2 == "cleanings" { print $3 }' "$f")" >> "$OUT/values.tsv"
  echo "[$(date +%T)] round $4 $1: $(tail -1 "$OUT/values.tsv" | cut -f3-) [load $(cut -d' ' -f1 /proc/loadavg)]" >&2
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    run before "$BASE_JAR" AppendWhileCleaningBase.java "$r"; run after "$JAR" AppendWhileCleaning.java "$r"
  else
    run after "$JAR" AppendWhileCleaning.java "$r"; run before "$BASE_JAR" AppendWhileCleaningBase.java "$r"
  fi
done
python3 - "$OUT/values.tsv" "$RATE" "$SEGMENT_BYTES" "$KEYS" <<'PY' | tee "$OUT/table.md"
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print(f"\nappend latency, one keyed record at a time at {sys.argv[2]}/s ({sys.argv[4]} keys), segment.bytes {sys.argv[3]}, cleaner back to back")
print("| | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | runs (p99 of each) | cleanings per run |")
print("|---|---|---|---|---|---|---|---|")
for label in ("before", "after"):
    mine = [r for r in rows if r[0] == label and r[4]]
    if not mine: continue
    med = lambda i: statistics.median(float(r[i]) for r in mine)
    print(f"| {label} | {med(2):.3f} | {med(3):.3f} | {med(4):.3f} | {med(5):.3f} | {med(6):.1f} | "
          f"{len(mine)} ({', '.join(r[4] for r in mine)}) | {', '.join(r[7] for r in mine)} |")
PY
echo "raw outputs: $OUT" >&2
