#!/usr/bin/env bash
# Storage-engine benchmark: JMH on io.sluice.log next to dd on the same disk, in one run.
#   bench/log-bench.sh                 # everything (~3 minutes)
#   bench/log-bench.sh append100       # JMH regex: only matching benchmarks
# Data goes to $SLUICE_BENCH_DIR (default target/bench-data), deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${SLUICE_BENCH_DIR:-target/bench-data}
mkdir -p "$DATA"
mvn -B -q -Pjmh -DskipTests test-compile
CP="target/test-classes:target/classes:$(cat target/jmh.classpath)"

# MiB/s of one dd run, from its "N bytes ... copied, S s" line.
dd_mibs() {
  local out
  out=$(dd if=/dev/zero of="$DATA/dd.bin" bs=1M count=2048 "$@" 2>&1 | tail -1)
  rm -f "$DATA/dd.bin"
  awk '{ for (i = 1; i <= NF; i++) if ($i == "copied,") { printf "%.0f", $1 / $(i+1) / 1048576 } }' <<<"$out"
}

echo "== dd, 2 GiB in 1 MiB blocks, to $DATA"
DD_CACHE=$(dd_mibs)
DD_SYNC=$(dd_mibs oflag=dsync)
echo "page cache: $DD_CACHE MiB/s   fsync per block (oflag=dsync): $DD_SYNC MiB/s"

echo "== JMH"
java -Dsluice.bench.dir="$DATA" -cp "$CP" org.openjdk.jmh.Main -rf text -rff target/jmh-log.txt \
  "io.sluice.log.bench.LogBenchmark.${1:-}" | tee target/jmh-log.out | grep -E '^(# Benchmark:|Iteration|Result)' || true

score() { awk -v b="$1" '$1 ~ ("\\." b "$") { print $4 }' target/jmh-log.txt | tr -d ','; }
printf '\n%-46s %14s %12s %8s\n' "workload" "result" "reference" "ratio"
row() { # name score unit reference
  local s=${2:-}; [ -z "$s" ] && return 0
  printf '%-46s %14.0f %-5s %8s %8s\n' "$1" "$s" "$3" "${4:-}" \
    "$([ -n "${4:-}" ] && awk -v a="$s" -v b="$4" 'BEGIN { printf "%.2fx", a / b }')"
}
row "append 100 B records, batches of 500"        "$(score append100ByteRecords)" "rec/s" 1000000
row "read from page cache (decode every record)"  "$(score readFromPageCache)" "rec/s" 2000000
row "append 100 B x 500, fsync per batch"         "$(score append100ByteRecordsFsyncPerBatch)" "rec/s"
row "append 1 MiB batches vs dd (page cache)"     "$(score append1MiBBatches)" "MiB/s" "$DD_CACHE"
row "append 1 MiB batches, fsync each vs dd dsync" "$(score append1MiBBatchesFsync)" "MiB/s" "$DD_SYNC"
echo "(reference: the issue's target for records, dd in this same run for MiB/s)"
