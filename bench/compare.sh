#!/usr/bin/env bash
# Sluice vs Kafka 4.4 vs NATS JetStream on this machine, in one run (method: BENCHMARKS.md).
#
# For ROUNDS rounds, in alternating order (odd rounds: Sluice, cluster, Kafka, NATS; even rounds
# the reverse), it runs:
#   Sluice   a fresh node from target/sluice.jar (data under /tmp, deleted after), driven by
#            the load tool (target/sluice-load.jar): produce-batch, produce-ndjson, produce-ws (N x 100 B,
#            acks=1), consume-ws from earliest (N), produce-single (SINGLE_N, SINGLE_C connections)
#            in turns with the ceiling server (below), e2e at 1,000 msg/s via http and via ws (E2E_N),
#            open-loop and with sync pacing (NATS's method); then SIGTERM and wait.
#   cluster  three nodes from target/sluice.jar (separate JVMs, one Hazelcast cluster on loopback, all three
#            voters of the controller quorum), a topic
#            with replication factor 3 and min.insync.replicas=2, produce-batch acks=all sent to its leader
#            (SKIP_REPLICATED=1 skips it).
#   ceiling  the load tool's ceiling-server (Vert.x POST -> 200, no work), started for the Sluice
#            phase's produce-single, which drives it and the node in turns (SKIP_CEILING=1: the node alone).
#   Kafka    ../shared/anchors/kafka: start-broker.sh, then the stock ProducerPerformance /
#            ConsumerPerformance / EndToEndLatency exactly as its bench.sh calls them (N, 100 B, acks=1), stop-broker.sh.
#   NATS     ../shared/anchors/nats: RUNS=1 PHASES=pub_async,consume,e2e ./run.sh (its RESULT lines).
# and prints one table of medians and ratios. Raw outputs: bench/results/<timestamp>/ (git-ignored).
#
# Knobs (env): ROUNDS=2 N=1000000 E2E_N=10000 E2E_RATE=1000 E2E_WARMUP=30000 E2E_WARMUP_RATE=2000 (records
#   not counted, with the measured pacing: the JIT compilers of the tool and of the node finish their e2e
#   paths in these 15 s instead of compiling through the measured part on these 2 cores) SINGLE_N=500000 SINGLE_C=32 BATCH=1000
#   CONNS=4 WS_INFLIGHT=4 CREDIT=20000 WARMUP_S=3 SINGLE_WARMUP_S=25 SINGLE_SLICES=10 REPL_WARMUP_S=15 SKIP_KAFKA=1 SKIP_NATS=1 SKIP_CEILING=1 SKIP_REPLICATED=1
#   STEP_TIMEOUT=300 (seconds, every step) SLUICE_JAVA_OPTS="-Xms1g -Xmx1g" TOOL_JAVA_OPTS="-Xmx1g"
#   ANCHORS=../shared/anchors   TABLE_ONLY=bench/results/<ts> (print that run's table again, measure nothing)
# Quick check: ROUNDS=1 N=100000 E2E_N=2000 SINGLE_N=20000 SKIP_KAFKA=1 SKIP_NATS=1 bench/compare.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ANCHORS=$(cd "${ANCHORS:-$ROOT/../shared/anchors}" && pwd)
ROUNDS=${ROUNDS:-2}; N=${N:-1000000}; E2E_N=${E2E_N:-10000}; E2E_RATE=${E2E_RATE:-1000}
E2E_WARMUP=${E2E_WARMUP:-30000}; E2E_WARMUP_RATE=${E2E_WARMUP_RATE:-2000}; SINGLE_N=${SINGLE_N:-500000}; SINGLE_C=${SINGLE_C:-32}; BATCH=${BATCH:-1000}; CONNS=${CONNS:-4}
WS_INFLIGHT=${WS_INFLIGHT:-4}; CREDIT=${CREDIT:-20000}; WARMUP_S=${WARMUP_S:-3}
SKIP_KAFKA=${SKIP_KAFKA:-0}; SKIP_NATS=${SKIP_NATS:-0}; SKIP_CEILING=${SKIP_CEILING:-0}; SKIP_REPLICATED=${SKIP_REPLICATED:-0}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
# Three fresh JVMs JIT-compile the replication path at once on this machine's two cores: the
# replicated workload warms up longer (measured: ~110k rec/s after 3 s, ~300k after 15 s).
REPL_WARMUP_S=${REPL_WARMUP_S:-15}
# Single-record POSTs: on a fresh tool JVM the rate climbs for about 20 s against a node (C2 compiles
# some 900 methods of the node's request path, 8 s of C2 time on these 2 cores) and for about 12 s
# against the ceiling server (mostly the tool's own JIT), then holds (measured: 1 s progress lines).
# Both sides of that ratio warm up for SINGLE_WARMUP_S, then measure SINGLE_N requests (~8 s).
SINGLE_WARMUP_S=${SINGLE_WARMUP_S:-25}
# ... each, in turns with the ceiling: five alternating parts of SINGLE_WARMUP_S/5 s per server, then
# SINGLE_SLICES alternating slices of SINGLE_N/SINGLE_SLICES requests per server.
SINGLE_SLICES=${SINGLE_SLICES:-10}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xms1g -Xmx1g}; TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--Xmx1g}
JAR=$ROOT/target/sluice.jar; LOAD_JAR=$ROOT/target/sluice-load.jar

log() { echo "[$(date +%T)] $*" | tee -a "$OUT/compare.log" >&2; }

# ---------------------------------------------------------------- the table (medians of values.tsv)
table() { # results-dir: writes and prints <dir>/table.md
  python3 - "$1/values.tsv" "$ROUNDS" "$N" "$E2E_N" "$E2E_RATE" "$SINGLE_N" "$SINGLE_C" > "$1/table.md" <<'PY'
import sys, statistics
values, rounds, n, e2e_n, rate, single_n, single_c = sys.argv[1:]
runs = {}
for line in open(values):
    system, metric, value, _ = (line.rstrip("\n").split("\t") + [""])[:4]
    try:
        runs.setdefault((system, metric), []).append(float(value))
    except ValueError:
        pass
def med(system, metric):
    v = runs.get((system, metric))
    return statistics.median(v) if v else None
def fmt(v, ms):
    if v is None: return "n/a"
    return f"{v:.3f}" if ms else f"{v:,.0f}"
def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"
n_f = f"{int(n):,}"
rows = [  # label, sluice metric, kafka metric, nats metric, ceiling metric, ms?, target(check)
    (f"produce rec/s, HTTP JSON batch ({n_f} x 100 B, acks=1)", "batch", "produce", "produce", None, False, ("kafka", 1.0)),
    (f"produce rec/s, HTTP NDJSON ({n_f} x 100 B, acks=1)", "ndjson", "produce", "produce", None, False, ("kafka", 1.0)),
    (f"produce rec/s, WebSocket frames ({n_f} x 100 B, acks=1)", "ws", "produce", "produce", None, False, None),
    (f"consume rec/s, WebSocket from earliest ({n_f})", "consume", "consume", "consume", None, False, ("kafka", 1.0)),
    ("consume rec/s incl. connect / group join", "consume_total", "consume_total", None, None, False, None),
    (f"e2e p50 ms, {int(rate):,}/s, via HTTP POST", "e2e_http_p50", "e2e_p50", "e2e_p50", None, True, None),
    (f"e2e p99 ms, {int(rate):,}/s, via HTTP POST", "e2e_http_p99", "e2e_p99", "e2e_p99", None, True, ("max", 2.0)),
    (f"e2e p99.9 ms, {int(rate):,}/s, via HTTP POST", "e2e_http_p999", "e2e_p999", "e2e_p999", None, True, None),
    (f"e2e p50 ms, {int(rate):,}/s, via WebSocket produce", "e2e_ws_p50", "e2e_p50", "e2e_p50", None, True, None),
    (f"e2e p99 ms, {int(rate):,}/s, via WebSocket produce", "e2e_ws_p99", "e2e_p99", "e2e_p99", None, True, ("max", 2.0)),
    (f"e2e p99.9 ms, {int(rate):,}/s, via WebSocket produce", "e2e_ws_p999", "e2e_p999", "e2e_p999", None, True, None),
    (f"e2e p50 ms, {int(rate):,}/s, via HTTP POST, sync pacing", "e2e_httpsync_p50", "e2e_p50", "e2e_p50", None, True, None),
    (f"e2e p99 ms, {int(rate):,}/s, via HTTP POST, sync pacing", "e2e_httpsync_p99", "e2e_p99", "e2e_p99", None, True, ("max", 2.0)),
    (f"e2e p99.9 ms, {int(rate):,}/s, via HTTP POST, sync pacing", "e2e_httpsync_p999", "e2e_p999", "e2e_p999", None, True, None),
    (f"e2e p50 ms, {int(rate):,}/s, via WebSocket produce, sync pacing", "e2e_wssync_p50", "e2e_p50", "e2e_p50", None, True, None),
    (f"e2e p99 ms, {int(rate):,}/s, via WebSocket produce, sync pacing", "e2e_wssync_p99", "e2e_p99", "e2e_p99", None, True, ("max", 2.0)),
    (f"e2e p99.9 ms, {int(rate):,}/s, via WebSocket produce, sync pacing", "e2e_wssync_p999", "e2e_p999", "e2e_p999", None, True, None),
    (f"single-record POST rec/s ({int(single_n):,}, {single_c} conns)", "single", None, None, "single", False, ("ceiling", 0.7)),
    (f"produce rec/s, HTTP JSON batch, 3 nodes, RF 3, acks=all ({n_f} x 100 B)", "replicated", None, None, None, False, ("single-node acks=1", 0.5)),
]
print(f"Medians of {rounds} round(s). Latency rows: lower is better (ratios < 1 favour Sluice).")
print()
print("| workload | Sluice | Kafka | NATS | Vert.x ceiling | Sluice/Kafka | Sluice/NATS | Sluice/ceiling | target |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for label, sm, km, nm, cm, ms, target in rows:
    s = med("sluice", sm); k = med("kafka", km) if km else None
    na = med("nats", nm) if nm else None; c = med("ceiling", cm) if cm else None
    verdict = ""
    if target:
        kind, x = target
        if kind == "max":
            verdict = "n/a" if s is None else (f"p99 <= {x} ms: " + ("met" if s <= x else "MISSED"))
        else:
            ref = k if kind == "kafka" else c if kind == "ceiling" else med("sluice", "batch")
            verdict = "n/a" if s is None or ref is None else (
                f">= {x}x {kind}: " + ("met" if s >= x * ref else "MISSED") + f" ({s / ref:.3f}x)")
    print(f"| {label} | {fmt(s, ms)} | {fmt(k, ms)} | {fmt(na, ms)} | {fmt(c, ms)} | {ratio(s, k)} | {ratio(s, na)} | {ratio(s, c)} | {verdict} |")
print()
print("Kafka: ProducerPerformance acks=1 (producer rows), ConsumerPerformance fetch.nMsg.sec (consume) and nMsg.sec "
      "(incl. join), EndToEndLatency (whole ms, rounded down). NATS: pub_async, consume_ordered_ws, e2e_ws_consumer.")
print("Replicated row: three Sluice nodes (separate JVMs) on this machine, the load sent to the partition's leader; "
      "its target compares it with the single-node acks=1 batch row above. Warm-up: REPL_WARMUP_S (15 s) instead of WARMUP_S, "
      "as three fresh JVMs compile the replication path at once on two cores.")
print("Single POST: the node and the ceiling server driven in turns by one tool JVM (alternating warm-ups, then "
      "alternating slices); each round's median of the slices' ratios is single_ratio_median in values.tsv.")
print("Per-round values: values.tsv next to this table.")
PY
  cat "$1/table.md"
}

# TABLE_ONLY=bench/results/<ts>: print that run's table again (settings from its env.txt), measure nothing.
if [ -n "${TABLE_ONLY:-}" ]; then
  for kv in $(sed -n 's/^settings: //p' "$TABLE_ONLY/env.txt"); do
    case ${kv%%=*} in ROUNDS|N|E2E_N|E2E_RATE|SINGLE_N|SINGLE_C) declare "$kv" ;; esac
  done
  table "$TABLE_ONLY"
  exit 0
fi

OUT=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
VALUES=$OUT/values.tsv; : > "$VALUES"

# ---------------------------------------------------------------- cleanup: everything we started, by PID
SLUICE_PID=""; SLUICE_DATA=""; CEILING_PID=""; KAFKA_STARTED=0; VMSTAT_PID=""; CLUSTER_PIDS=(); CLUSTER_DATA=""
stop_pid() { # pid name: SIGTERM, wait up to 60 s, then SIGKILL
  local pid=$1 name=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$name pid $pid still alive after 60 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null || true
}
stop_sluice() { stop_pid "$SLUICE_PID" sluice; SLUICE_PID=""; [ -n "$SLUICE_DATA" ] && rm -rf "$SLUICE_DATA"; SLUICE_DATA=""; }
stop_ceiling() { stop_pid "$CEILING_PID" ceiling; CEILING_PID=""; }
stop_cluster() {
  local p; for p in "${CLUSTER_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${CLUSTER_PIDS[@]}"; do stop_pid "$p" cluster-node; done
  CLUSTER_PIDS=(); [ -n "$CLUSTER_DATA" ] && rm -rf "$CLUSTER_DATA"; CLUSTER_DATA=""
}
stop_kafka() {
  if [ "$KAFKA_STARTED" = 1 ]; then timeout 90 "$ANCHORS/kafka/stop-broker.sh" >> "$OUT/kafka-broker.log" 2>&1; KAFKA_STARTED=0; fi
}
stop_nats() { # run.sh stops its server in its own trap; this covers a run.sh killed by timeout -s KILL
  local pidfile=/tmp/nats-anchor/nats.pid
  if [ -f "$pidfile" ] && [ -n "${NATS_STARTED_PID:-}" ] && [ "$(cat "$pidfile")" = "$NATS_STARTED_PID" ]; then
    stop_pid "$NATS_STARTED_PID" nats-server
  fi
  NATS_STARTED_PID=""
}
cleanup() {
  stop_sluice; stop_cluster; stop_ceiling; stop_kafka; stop_nats
  [ -n "$VMSTAT_PID" ] && kill "$VMSTAT_PID" 2>/dev/null; VMSTAT_PID=""
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
put() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >> "$VALUES"; }   # system metric value round

# ---------------------------------------------------------------- environment
[ -f "$JAR" ] && [ -f "$LOAD_JAR" ] || { log "building $JAR and $LOAD_JAR"; (mvn -B -q -DskipTests package) || exit 1; }
{
  echo "date: $(date -Is)"; echo "nproc: $(nproc)"; echo "kernel: $(uname -r)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "mem: $(free -g | awk '/Mem:/{print $2" GiB"}')"; echo "java: $(java -version 2>&1 | head -1)"
  echo "sluice: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings: ROUNDS=$ROUNDS N=$N E2E_N=$E2E_N E2E_RATE=$E2E_RATE E2E_WARMUP=$E2E_WARMUP E2E_WARMUP_RATE=$E2E_WARMUP_RATE SINGLE_N=$SINGLE_N SINGLE_C=$SINGLE_C BATCH=$BATCH CONNS=$CONNS WS_INFLIGHT=$WS_INFLIGHT CREDIT=$CREDIT WARMUP_S=$WARMUP_S SINGLE_WARMUP_S=$SINGLE_WARMUP_S SINGLE_SLICES=$SINGLE_SLICES REPL_WARMUP_S=$REPL_WARMUP_S"
} > "$OUT/env.txt"
cat "$OUT/env.txt" >&2
vmstat 5 > "$OUT/vmstat.txt" 2>&1 &
VMSTAT_PID=$!

# ---------------------------------------------------------------- Sluice
tool() { # outfile workload args...: runs the load tool under the step timeout
  local out=$1; shift
  timeout "$STEP_TIMEOUT" java $TOOL_JAVA_OPTS -jar "$LOAD_JAR" "$@" \
      --timeout-s $((STEP_TIMEOUT - 15)) > "$out" 2>&1 || echo "FAILED rc=$?" >> "$out"
}
result() { awk -v k="RESULT $2" '$1" "$2 == k { print $3 }' "$1" | tail -1; }

run_sluice() {
  local r=$1 port cport url
  port=$(free_port); cport=$(free_port); url=http://127.0.0.1:$port
  SLUICE_DATA=$(mktemp -d /tmp/sluice-compare-XXXXXX)
  log "round $r: Sluice node on $url (data $SLUICE_DATA)"
  java $SLUICE_JAVA_OPTS -jar "$JAR" --http-host 127.0.0.1 --http-port "$port" --data-dir "$SLUICE_DATA" \
      --cluster-port "$cport" --cluster-name "compare-$$-$r" > "$OUT/sluice-node-r$r.log" 2>&1 &
  SLUICE_PID=$!
  for _ in $(seq 1 120); do curl -sf "$url/ready" > /dev/null && break; kill -0 "$SLUICE_PID" 2>/dev/null || break; sleep 0.5; done
  if ! curl -sf "$url/ready" > /dev/null; then log "Sluice did not become ready"; stop_sluice; return; fi
  local common=(--url "$url" --record-size 100 --create-topic --partitions 1) produce
  produce=("${common[@]}" --acks 1 --warmup-s "$WARMUP_S")
  local f=$OUT/sluice-r$r
  log "  produce-batch";  tool "$f-produce-batch.txt"  produce-batch  "${produce[@]}" --topic pb --records "$N" --batch "$BATCH" --connections "$CONNS"
  log "  produce-ndjson"; tool "$f-produce-ndjson.txt" produce-ndjson "${produce[@]}" --topic pn --records "$N" --batch "$BATCH" --connections "$CONNS"
  log "  produce-ws";     tool "$f-produce-ws.txt"     produce-ws     "${produce[@]}" --topic pw --records "$N" --batch "$BATCH" --inflight "$WS_INFLIGHT"
  log "  consume-ws";     tool "$f-consume-ws.txt"     consume-ws     "${common[@]}" --warmup-s "$WARMUP_S" --topic pb --records "$N" --credit "$CREDIT"
  local single=("${common[@]}" --acks 1 --warmup-s "$SINGLE_WARMUP_S" --topic ps --records "$SINGLE_N" --connections "$SINGLE_C")
  if [ "$SKIP_CEILING" = 1 ]; then
    log "  produce-single"; tool "$f-produce-single.txt" produce-single "${single[@]}"
  elif start_ceiling "$r"; then
    # The ceiling is measured in turns with the node, by the same tool JVM (SingleDuel): warm-ups
    # alternate, then SINGLE_SLICES slices of each, so both rates see the same phases of the machine.
    log "  produce-single, in turns with the ceiling server (127.0.0.1:$CEILING_PORT)"
    tool "$f-produce-single.txt" produce-single "${single[@]}" --versus "http://127.0.0.1:$CEILING_PORT" --slices "$SINGLE_SLICES"
    stop_ceiling
    put ceiling single "$(result "$f-produce-single.txt" produce-single.versus.records_per_s)" "$r"
    put sluice single_ratio_median "$(result "$f-produce-single.txt" produce-single.ratio_median)" "$r"
  fi
  local e2e=("${common[@]}" --acks 1 --records "$E2E_N" --warmup "$E2E_WARMUP" --warmup-rate "$E2E_WARMUP_RATE" --rate "$E2E_RATE")
  log "  e2e via http";   tool "$f-e2e-http.txt"       e2e            "${e2e[@]}" --topic eh --via http
  log "  e2e via ws";     tool "$f-e2e-ws.txt"         e2e            "${e2e[@]}" --topic ew --via ws
  # The same, paced as NATS's and Kafka's tools pace: each send also waits for the previous ack.
  log "  e2e via http, sync pacing"; tool "$f-e2e-httpsync.txt" e2e "${e2e[@]}" --topic ehs --via http --pacing sync
  log "  e2e via ws, sync pacing";   tool "$f-e2e-wssync.txt"   e2e "${e2e[@]}" --topic ews --via ws --pacing sync
  put sluice batch   "$(result "$f-produce-batch.txt" produce-batch.records_per_s)" "$r"
  put sluice ndjson  "$(result "$f-produce-ndjson.txt" produce-ndjson.records_per_s)" "$r"
  put sluice ws      "$(result "$f-produce-ws.txt" produce-ws.records_per_s)" "$r"
  put sluice consume "$(result "$f-consume-ws.txt" consume-ws.records_per_s)" "$r"
  put sluice consume_total "$(result "$f-consume-ws.txt" consume-ws.incl_connect.records_per_s)" "$r"
  for via in http ws httpsync wssync; do
    for p in p50 p99 p999; do put sluice "e2e_${via}_$p" "$(result "$f-e2e-$via.txt" "e2e.latency.${p}_ms")" "$r"; done
  done
  put sluice single  "$(result "$f-produce-single.txt" produce-single.records_per_s)" "$r"
  grep -h -E '^FAIL|FAILED' "$f"-*.txt | sed "s/^/  sluice r$r: /" | tee -a "$OUT/compare.log" >&2
  stop_sluice
}

# ---------------------------------------------------------------- three nodes, replication factor 3, acks=all
run_replicated() {
  local r=$1 i members="" voters="" ports=() cports=() qports=() url leader
  for i in 0 1 2; do ports+=("$(free_port)"); cports+=("$(free_port)"); qports+=("$(free_port)"); done
  for i in 0 1 2; do members+="${members:+,}127.0.0.1:${cports[$i]}"; voters+="${voters:+,}r$i@127.0.0.1:${qports[$i]}"; done
  CLUSTER_DATA=$(mktemp -d /tmp/sluice-cluster-XXXXXX)
  log "round $r: three Sluice nodes (http ${ports[*]}, data $CLUSTER_DATA)"
  for i in 0 1 2; do
    java $SLUICE_JAVA_OPTS -jar "$JAR" --node-id "r$i" --http-host 127.0.0.1 --http-port "${ports[$i]}" \
        --data-dir "$CLUSTER_DATA/n$i" --cluster-port "${cports[$i]}" --cluster-members "$members" \
        --controller-voters "$voters" --cluster-name "compare-rep-$$-$r" > "$OUT/cluster-node$i-r$r.log" 2>&1 &
    CLUSTER_PIDS+=($!)
  done
  url=http://127.0.0.1:${ports[0]}
  for _ in $(seq 1 120); do
    [ "$(curl -sf "$url/cluster" | python3 -c 'import sys,json; print(len(json.load(sys.stdin)["nodes"]))' 2>/dev/null)" = 3 ] && break; sleep 0.5
  done
  if ! curl -sf -X POST "$url/topics" -H 'content-type: application/json' \
      -d '{"name":"rep","partitions":1,"replication_factor":3,"configs":{"min.insync.replicas":2}}' > /dev/null; then
    log "the three-node cluster did not form"; stop_cluster; return
  fi
  leader=$(curl -sf "$url/topics/rep" | python3 -c 'import sys,json; print(json.load(sys.stdin)["partitions"][0]["leader"])')
  url=http://127.0.0.1:${ports[${leader#r}]}
  log "  produce-batch acks=all to the leader $leader ($url)"
  tool "$OUT/replicated-r$r-produce-batch.txt" produce-batch --url "$url" --topic rep --record-size 100 --acks all \
      --warmup-s "$REPL_WARMUP_S" --records "$N" --batch "$BATCH" --connections "$CONNS"
  put sluice replicated "$(result "$OUT/replicated-r$r-produce-batch.txt" produce-batch.records_per_s)" "$r"
  grep -h -E '^FAIL|FAILED' "$OUT/replicated-r$r-produce-batch.txt" | sed "s/^/  replicated r$r: /" | tee -a "$OUT/compare.log" >&2
  stop_cluster
}

# ---------------------------------------------------------------- the Vert.x ceiling for single POSTs
start_ceiling() { # round: starts the ceiling server on CEILING_PORT (run_sluice drives it in turns with the node)
  local r=$1
  CEILING_PORT=$(free_port)
  java -jar "$LOAD_JAR" ceiling-server --port "$CEILING_PORT" > "$OUT/ceiling-server-r$r.log" 2>&1 &
  CEILING_PID=$!
  for _ in $(seq 1 60); do grep -q listening "$OUT/ceiling-server-r$r.log" && return 0; sleep 0.5; done
  log "the ceiling server did not start"; stop_ceiling; return 1
}

# ---------------------------------------------------------------- Kafka (anchor scripts, stock tools)
run_kafka() {
  local r=$1 f=$OUT/kafka-r$r
  log "round $r: Kafka broker (anchor start-broker.sh)"
  KAFKA_STARTED=1
  if ! timeout 120 "$ANCHORS/kafka/start-broker.sh" >> "$OUT/kafka-broker.log" 2>&1; then log "Kafka did not start"; stop_kafka; return; fi
  # The same invocations as the anchor's bench.sh, in a subshell that sources its env.sh (ktool, bootstrap).
  (
    source "$ANCHORS/kafka/env.sh"
    cd "$ANCHOR_DIR"
    export KTOOL_TIMEOUT=$STEP_TIMEOUT
    B=$(bootstrap)
    topic() { ktool org.apache.kafka.tools.TopicCommand --bootstrap-server "$B" --create --topic "$1" --partitions 1 --replication-factor 1 > /dev/null; }
    producer() { topic "$1"; ktool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$B" --topic "$1" \
        --num-records "$2" --record-size 100 --throughput -1 --command-property acks=1 > "$3" 2>&1 || echo "FAILED rc=$?" >> "$3"; }
    log "  warm-up producer (200000, not counted, as bench.sh)"; producer warmup 200000 "$f-warmup.txt"
    log "  ProducerPerformance";  producer p100-acks1 "$N" "$f-producer.txt"
    log "  ConsumerPerformance"
    ktool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$B" --topic p100-acks1 \
        --num-records "$N" --timeout 30000 --group "c100-r$r" > "$f-consumer.txt" 2>&1 || echo "FAILED rc=$?" >> "$f-consumer.txt"
    log "  EndToEndLatency"
    ktool org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$B" --topic e2e-acks1 \
        --num-records "$E2E_N" --producer-acks 1 --record-size 100 > "$f-e2e.txt" 2>&1 || echo "FAILED rc=$?" >> "$f-e2e.txt"
  )
  put kafka produce "$(grep 'records sent' "$f-producer.txt" | tail -1 | sed -E 's/.*sent, ([0-9.]+) records\/sec.*/\1/')" "$r"
  # ConsumerPerformance columns: start, end, MB, MB.sec, nMsg, nMsg.sec, rebalance.ms, fetch.ms, fetch.MB.sec, fetch.nMsg.sec
  local row; row=$(grep -A1 '^start.time' "$f-consumer.txt" | tail -1)
  put kafka consume "$(awk -F', *' '{print $10}' <<< "$row")" "$r"
  put kafka consume_total "$(awk -F', *' '{print $6}' <<< "$row")" "$r"
  local pct; pct=$(grep 'Percentiles' "$f-e2e.txt" | tail -1)
  put kafka e2e_p50  "$(sed -E 's/.*50th = ([0-9.]+).*/\1/' <<< "$pct")" "$r"
  put kafka e2e_p99  "$(sed -E 's/.*99th = ([0-9.]+).*/\1/' <<< "$pct")" "$r"
  put kafka e2e_p999 "$(sed -E 's/.*99\.9th = ([0-9.]+).*/\1/' <<< "$pct")" "$r"
  put kafka e2e_avg  "$(grep 'Avg latency' "$f-e2e.txt" | sed -E 's/.*: ([0-9.]+).*/\1/')" "$r"
  grep -h FAILED "$f"-*.txt | sed "s/^/  kafka r$r: /" | tee -a "$OUT/compare.log" >&2
  stop_kafka
}

# ---------------------------------------------------------------- NATS JetStream (anchor run.sh)
run_nats() {
  local r=$1 f=$OUT/nats-r$r.txt
  command -v nats-server > /dev/null || { log "installing nats-server"; apt-get install -y nats-server > "$OUT/apt.log" 2>&1 \
      || { apt-get update > /dev/null 2>&1 && apt-get install -y nats-server >> "$OUT/apt.log" 2>&1; }; }
  log "round $r: NATS JetStream (anchor run.sh, RUNS=1 PHASES=pub_async,consume,e2e)"
  (cd "$ANCHORS/nats" && RUNS=1 N="$N" NE2E="$E2E_N" RATE="$E2E_RATE" PHASES=pub_async,consume,e2e \
      timeout -k 30 $((STEP_TIMEOUT * 3)) ./run.sh) > "$f" 2>&1 &
  local runner=$!
  # remember the server run.sh starts, to stop it ourselves if run.sh is killed before its trap runs
  for _ in $(seq 1 600); do
    [ -f /tmp/nats-anchor/nats.pid ] && [ /tmp/nats-anchor/nats.pid -nt "$f" ] && { NATS_STARTED_PID=$(cat /tmp/nats-anchor/nats.pid); break; }
    kill -0 "$runner" 2>/dev/null || break; sleep 0.2
  done
  wait "$runner" || echo "FAILED rc=$?" >> "$f"
  stop_nats
  put nats produce  "$(result "$f" pub_async.msgs_per_s)" "$r"
  put nats consume  "$(result "$f" consume_ordered_ws.msgs_per_s)" "$r"
  for p in p50 p99 p999; do put nats "e2e_$p" "$(result "$f" "e2e_ws_consumer.latency.${p}_ms")" "$r"; done
  grep -h -E '^FAIL|FAILED' "$f" | sed "s/^/  nats r$r: /" | tee -a "$OUT/compare.log" >&2
}

# ---------------------------------------------------------------- rounds
if [ "$SKIP_KAFKA" != 1 ]; then timeout 600 "$ANCHORS/kafka/fetch.sh" > "$OUT/kafka-fetch.log" 2>&1 || { log "Kafka fetch failed"; SKIP_KAFKA=1; }; fi
for r in $(seq 1 "$ROUNDS"); do
  steps=(sluice replicated kafka nats)
  [ $((r % 2)) = 0 ] && steps=(nats kafka replicated sluice)
  for s in "${steps[@]}"; do
    case $s in
      sluice) run_sluice "$r" ;;
      replicated) [ "$SKIP_REPLICATED" = 1 ] || run_replicated "$r" ;;
      kafka) [ "$SKIP_KAFKA" = 1 ] || run_kafka "$r" ;;
      nats) [ "$SKIP_NATS" = 1 ] || run_nats "$r" ;;
    esac
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"

table "$OUT"
log "raw outputs in $OUT"
