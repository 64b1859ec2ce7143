#!/usr/bin/env bash
# Produce latency on a compacted topic while its log cleaner runs continuously (method: BENCHMARKS.md,
# "Produce latency while the log cleaner runs").
#
# Usage: bench/compaction-latency.sh [LABEL=NODE_JAR ...]     (default: this=target/sluice.jar)
#   e.g. bench/compaction-latency.sh before=/path/to/base/target/sluice.jar after=target/sluice.jar
#
# For ROUNDS rounds, the order of the jars reversed every other round (a noisy, shared machine drifts),
# each jar gets a fresh node (data under /tmp, deleted after) with log.cleaner.backoff.ms=BACKOFF_MS and a
# topic of one partition with cleanup.policy=compact, segment.bytes=SEGMENT_BYTES,
# min.cleanable.dirty.ratio=0.01 and min.compaction.lag.ms=LAG_MS: a segment rolls every few dozen
# milliseconds and every one older than LAG_MS is compacted and swapped in at once, so cleaning never
# stops. The load tool of THIS tree (the client is the same for every node) runs e2e via HTTP: one keyed
# record per POST (KEYS keys), open-loop at RATE/s, WARMUP records not counted; its ack latency (POST sent
# -> answer) is the produce latency. Each run prints p50/p90/p99/p99.9 of the acks and what is left on disk
# (segments and bytes: proof that the cleaner ran); the end prints the medians per jar.
#
# Knobs (env): ROUNDS=3 N=30000 RATE=1000 WARMUP=10000 WARMUP_RATE=2000 KEYS=100 RECORD_SIZE=100
#   SEGMENT_BYTES=16384 LAG_MS=2000 BACKOFF_MS=50 STEP_TIMEOUT=300 NODE_JAVA_OPTS="-Xms512m -Xmx512m"
#   TOOL_JAVA_OPTS="-Xmx512m" TOOL_JAR=target/sluice-load.jar (built when missing)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-3}; N=${N:-30000}; RATE=${RATE:-1000}; WARMUP=${WARMUP:-10000}; WARMUP_RATE=${WARMUP_RATE:-2000}
KEYS=${KEYS:-100}; RECORD_SIZE=${RECORD_SIZE:-100}; SEGMENT_BYTES=${SEGMENT_BYTES:-16384}; LAG_MS=${LAG_MS:-2000}
BACKOFF_MS=${BACKOFF_MS:-50}; STEP_TIMEOUT=${STEP_TIMEOUT:-300}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:--Xms512m -Xmx512m}; TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--Xmx512m}
TOOL_JAR=${TOOL_JAR:-$ROOT/target/sluice-load.jar}

labels=(); jars=()
for arg in "${@:-this=$ROOT/target/sluice.jar}"; do
  labels+=("${arg%%=*}"); jars+=("$(cd "$(dirname "${arg#*=}")" && pwd)/$(basename "${arg#*=}")")
done
[ -f "$TOOL_JAR" ] || { echo "building $TOOL_JAR" >&2; mvn -B -q -DskipTests package || exit 1; }
for j in "${jars[@]}" "$TOOL_JAR"; do [ -f "$j" ] || { echo "no jar at $j (mvn -B -q -DskipTests package)" >&2; exit 2; }; done

OUT=$ROOT/bench/results/compaction-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
result() { awk -v k="RESULT $2" '$1" "$2 == k { print $3 }' "$1" | tail -1; }

NODE_PID=; DATA=
stop_node() {
  if [ -n "$NODE_PID" ]; then
    kill -TERM "$NODE_PID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null
    NODE_PID=
  fi
  [ -n "$DATA" ] && rm -rf "$DATA"; DATA=
}
trap stop_node EXIT

run_one() { # round label jar
  local r=$1 label=$2 jar=$3 port cport url f
  port=$(free_port); cport=$(free_port); url=http://127.0.0.1:$port
  DATA=$(mktemp -d /tmp/sluice-compaction-XXXXXX)
  f=$OUT/$label-r$r
  log "round $r, $label: node $jar on $url"
  java $NODE_JAVA_OPTS -jar "$jar" --http-host 127.0.0.1 --http-port "$port" --data-dir "$DATA" \
      --cluster-port "$cport" --cluster-name "compaction-$$-$r-$label" --set "log.cleaner.backoff.ms=$BACKOFF_MS" \
      > "$f-node.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 120); do curl -sf "$url/ready" > /dev/null && break; kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5; done
  if ! curl -sf "$url/ready" > /dev/null; then log "  the node did not become ready"; stop_node; return; fi
  timeout "$STEP_TIMEOUT" java $TOOL_JAVA_OPTS -jar "$TOOL_JAR" e2e --url "$url" \
      --topic compacted --create-topic --partitions 1 --via http --acks 1 --keys "$KEYS" --record-size "$RECORD_SIZE" \
      --topic-configs "cleanup.policy=compact,segment.bytes=$SEGMENT_BYTES,min.cleanable.dirty.ratio=0.01,min.compaction.lag.ms=$LAG_MS" \
      --records "$N" --rate "$RATE" --warmup "$WARMUP" --warmup-rate "$WARMUP_RATE" --timeout-s $((STEP_TIMEOUT - 15)) \
      > "$f.txt" 2>&1 || echo "FAILED rc=$?" >> "$f.txt"
  local dir="$DATA/logs/compacted-0" segs bytes
  segs=$(find "$dir" -name '*.log' | wc -l); bytes=$(find "$dir" -name '*.log' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  stop_node
  local p50 p90 p99 p999 rate
  p50=$(result "$f.txt" e2e.ack.p50_ms); p90=$(result "$f.txt" e2e.ack.p90_ms); p99=$(result "$f.txt" e2e.ack.p99_ms)
  p999=$(result "$f.txt" e2e.ack.p999_ms); rate=$(result "$f.txt" e2e.rate_achieved)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$r" "$p50" "$p90" "$p99" "$p999" "$rate" "$segs" "$bytes" >> "$OUT/values.tsv"
  log "  acks p50 ${p50:-?} ms, p90 ${p90:-?} ms, p99 ${p99:-?} ms, p99.9 ${p999:-?} ms at ${rate:-?}/s; left on disk: $segs segments, $bytes bytes$(grep -q FAILED "$f.txt" && echo ' (TOOL FAILED, see '"$f.txt"')') [load $(cut -d' ' -f1 /proc/loadavg)]"
}

log "jars: ${labels[*]}; rounds $ROUNDS; $N records at $RATE/s after $WARMUP at $WARMUP_RATE/s, $KEYS keys; segment.bytes $SEGMENT_BYTES, lag $LAG_MS ms, backoff $BACKOFF_MS ms"
for r in $(seq 1 "$ROUNDS"); do
  order=$(seq 0 $((${#jars[@]} - 1))); [ $((r % 2)) -eq 0 ] && order=$(echo "$order" | tac)
  for i in $order; do run_one "$r" "${labels[$i]}" "${jars[$i]}"; done
done

python3 - "$OUT/values.tsv" "$N" "$RATE" "$KEYS" <<'PY' | tee "$OUT/table.md"
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
labels = list(dict.fromkeys(r[0] for r in rows))
def med(label, col):
    v = [float(r[col]) for r in rows if r[0] == label and r[col] not in ("", None)]
    return (statistics.median(v), len(v), v) if v else (None, 0, [])
print(f"\nproduce latency (acks=1, one keyed record per POST, {int(sys.argv[2]):,} at {sys.argv[3]}/s, {sys.argv[4]} keys), compacted topic, cleaner running")
print("| node | p50 ms | p90 ms | p99 ms | p99.9 ms | runs (p99 of each) | segments / bytes left |")
print("|---|---|---|---|---|---|---|")
for l in labels:
    p50, _, _ = med(l, 2); p90, _, _ = med(l, 3); p99, n, each = med(l, 4); p999, _, _ = med(l, 5)
    left = [f"{r[7]}/{r[8]}" for r in rows if r[0] == l]
    f = lambda x: "n/a" if x is None else f"{x:.2f}"
    print(f"| {l} | {f(p50)} | {f(p90)} | {f(p99)} | {f(p999)} | {n} ({', '.join(f'{x:.2f}' for x in each)}) | {', '.join(left)} |")
PY
log "raw outputs: $OUT"
