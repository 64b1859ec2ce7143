#!/usr/bin/env bash
# One node with many partitions (issue 14): each figure printed beside its target.
#
# Phases, each on a fresh node from target/sluice.jar (data under /tmp, deleted after):
#   create   TOPICS topics of PARTS partitions through POST /topics (CREATE_CONCURRENCY keep-alive connections,
#            bench/lib/create_topics.py; a curl process a topic cost ~18 s of the figure itself),
#            timed from the first request until /replicas shows every partition led on this node.
#   idle     the node's CPU (utime+stime from /proc/<pid>/stat) over IDLE_S seconds, after SETTLE_S seconds
#            of quiet, as a percentage of one core; also its open file descriptors and /metrics' gauges.
#   stop     SIGTERM until the process exits (a clean stop: logs flushed, checkpoints written).
#   start    start again on the same data until /ready answers 200 and every partition is led here.
#   kill     SIGKILL, then start until ready as above (a recovery after a crash).
#   produce  keyed produce-batch (the load tool, target/sluice-load.jar, KEYS keys, N records of 100 B, acks=1)
#            to a topic of FEW partitions, then on another fresh node to a topic of MANY partitions;
#            RUNS runs of each, alternating, reported as a range and the ratio of the medians.
#   idle-ws  WS_IDLE idle WebSocket consumers (the tool's consume-idle), one partition each of a topic of
#            WS_IDLE_PARTS partitions, from its end, nothing produced; once all are subscribed, the node's heap
#            after a full GC (/metrics' jvm_memory_used_bytes{area="heap"} summed, 3 readings a second apart, each
#            after jcmd GC.run, the least kept), beside the same reading before the sockets opened, and its RSS.
#            The tool holds them WS_IDLE_HOLD_S seconds, which must outlast the readings.
#   fanout   one topic of one partition filled with FANOUT_RECORDS records of 100 B (produce-ws), then FANOUT
#            WebSocket consumers (consume-fanout) reading it from offset 0 at once: records/s delivered across
#            all of them over FANOUT_S seconds (fewer if a consumer reaches the end of the topic sooner), after
#            FANOUT_WARMUP_S of reading once all are subscribed; the slowest consumer's own rate beside it. Frames
#            of at most FANOUT_FRAME_BYTES (the node's default, as clients that do not ask get).
# Both open one socket per consumer in the tool and in the node: the script raises its descriptor limit (ulimit -n)
# to the hard limit for both JVMs, and each socket takes a local port (net.ipv4.ip_local_port_range).
#
# Knobs (env): TOPICS=1000 PARTS=10 CREATE_CONCURRENCY=8 IDLE_S=30 SETTLE_S=15 FEW=50 MANY=10000
#   KEYS=100000 N=1000000 BATCH=1000 CONNS=4 RUNS=1 WARMUP_S=5 SKIP_PRODUCE=1 SKIP_LIFECYCLE=1 BUILD=1 (mvn package first)
#   WS_IDLE=10000 WS_IDLE_PARTS=100 WS_IDLE_HOLD_S=30 SKIP_IDLE_WS=1
#   FANOUT=1000 FANOUT_RECORDS=1000000 FANOUT_S=10 FANOUT_WARMUP_S=5 FANOUT_FRAME_BYTES=65536 SKIP_FANOUT=1
#   JAR=target/sluice.jar (the node's: e.g. a copy of another commit's jar, for a "before" figure; the load tool
#   is always this tree's target/sluice-load.jar)
#   SLUICE_JAVA_OPTS="-Xmx2g" TOOL_JAVA_OPTS="-Xmx1g" NODE_ARGS="--set name=value ..." (extra node flags)
# Quick check: TOPICS=50 IDLE_S=5 SETTLE_S=2 MANY=500 N=100000 WS_IDLE=200 FANOUT=20 bench/scale.sh
# Raw outputs (node logs, tool outputs, /metrics): bench/results/scale-<timestamp>/ (git-ignored).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOPICS=${TOPICS:-1000}; PARTS=${PARTS:-10}; CREATE_CONCURRENCY=${CREATE_CONCURRENCY:-8}
IDLE_S=${IDLE_S:-30}; SETTLE_S=${SETTLE_S:-15}; FEW=${FEW:-50}; MANY=${MANY:-10000}
KEYS=${KEYS:-100000}; N=${N:-1000000}; BATCH=${BATCH:-1000}; CONNS=${CONNS:-4}; RUNS=${RUNS:-1}; WARMUP_S=${WARMUP_S:-5}
SKIP_PRODUCE=${SKIP_PRODUCE:-0}; SKIP_LIFECYCLE=${SKIP_LIFECYCLE:-0}
WS_IDLE=${WS_IDLE:-10000}; WS_IDLE_PARTS=${WS_IDLE_PARTS:-100}; WS_IDLE_HOLD_S=${WS_IDLE_HOLD_S:-30}; SKIP_IDLE_WS=${SKIP_IDLE_WS:-0}
FANOUT=${FANOUT:-1000}; FANOUT_RECORDS=${FANOUT_RECORDS:-1000000}; FANOUT_S=${FANOUT_S:-10}; FANOUT_WARMUP_S=${FANOUT_WARMUP_S:-5}
FANOUT_FRAME_BYTES=${FANOUT_FRAME_BYTES:-65536}; SKIP_FANOUT=${SKIP_FANOUT:-0}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx2g}; TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--Xmx1g}; NODE_ARGS=${NODE_ARGS:-}
JAR=${JAR:-$ROOT/target/sluice.jar}; LOAD_JAR=$ROOT/target/sluice-load.jar
OUT=$ROOT/bench/results/scale-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
TOTAL=$((TOPICS * PARTS))
HZ=$(getconf CLK_TCK)

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
  JAR=$ROOT/target/sluice.jar
  log "building $JAR"; mvn -B -q -o -DskipTests package || exit 1
fi
if [ ! -f "$LOAD_JAR" ]; then
  log "building $LOAD_JAR"; mvn -B -q -o -DskipTests package || exit 1
fi

# A socket is a descriptor in the tool and another in the node (both JVMs inherit this limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null

NODE_PID=""; DATA=""; PORT=""; CPORT=""; URL=""; TOOL_PID=""
cleanup() {
  [ -n "$TOOL_PID" ] && kill -TERM "$TOOL_PID" 2>/dev/null   # (timeout passes it on to the tool)
  [ -n "$NODE_PID" ] && kill -KILL "$NODE_PID" 2>/dev/null
  [ -n "$DATA" ] && rm -rf "$DATA"
}
trap cleanup EXIT

new_node() { # name: a fresh data dir and ports
  DATA=$(mktemp -d /tmp/sluice-scale-XXXXXX); PORT=$(free_port); CPORT=$(free_port); URL=http://127.0.0.1:$PORT
  CLUSTER_NAME="scale-$$-$1"
}
start_node() { # logname: starts the node on $DATA (returns at once)
  # shellcheck disable=SC2086
  java $SLUICE_JAVA_OPTS -jar "$JAR" --node-id scale1 --http-host 127.0.0.1 --http-port "$PORT" --data-dir "$DATA" \
      --cluster-port "$CPORT" --cluster-name "$CLUSTER_NAME" $NODE_ARGS >> "$OUT/node-$1.log" 2>&1 &
  NODE_PID=$!
}
leaders() { # how many partitions this node leads now (from /replicas)
  curl -sf --max-time 30 "$URL/replicas" 2>/dev/null | grep -o '"role":"leader"' | wc -l
}
wait_ready() { # expected-leaders timeout-s: until /ready is 200 and every partition is led here
  local want=$1 deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "$NODE_PID" 2>/dev/null || { log "node died"; return 1; }
    if curl -sf --max-time 5 "$URL/ready" > /dev/null && [ "$(leaders)" -ge "$want" ]; then return 0; fi
    sleep 0.2
  done
  log "not ready within $2 s"; return 1
}
stop_node() { # until the process is gone; SIGKILL after 120 s
  kill -TERM "$NODE_PID" 2>/dev/null
  for _ in $(seq 1 600); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$NODE_PID" 2>/dev/null && { log "still alive after 120 s: SIGKILL"; kill -KILL "$NODE_PID"; }
  wait "$NODE_PID" 2>/dev/null; NODE_PID=""
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tool() { # outfile workload args...
  local out=$1; shift
  # shellcheck disable=SC2086
  timeout 900 java $TOOL_JAVA_OPTS -jar "$LOAD_JAR" "$@" > "$out" 2>&1 || echo "FAILED rc=$?" >> "$out"
}
result() { awk -v k="RESULT $2" '$1" "$2 == k { print $3 }' "$1" | tail -1; }
metric_sum() { # name: the sum of a gauge's series in /metrics (saved in $OUT/metrics-idle.txt)
  awk -v n="$1" 'index($0, n) == 1 && substr($0, length(n) + 1, 1) ~ /[{ ]/ { s += $NF; f = 1 } END { if (f) printf "%.0f", s; else print "-" }' "$OUT/metrics-idle.txt"
}
heap_mib() { # metrics-file: heap used (MiB), jvm_memory_used_bytes{area="heap"} summed over the pools
  awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF; f = 1 } END { if (f) printf "%.0f", s / 1048576; else print "-" }' "$1"
}
heap_after_gc() { # label: the node's heap used (MiB) after a full GC, the least of 3 readings (GC.run before each)
  local i h best=""
  for i in 1 2 3; do
    jcmd "$NODE_PID" GC.run > /dev/null 2>&1 || log "jcmd $NODE_PID GC.run failed; reading the heap as it is"
    curl -sf --max-time 60 "$URL/metrics" > "$OUT/metrics-$1-$i.txt"
    h=$(heap_mib "$OUT/metrics-$1-$i.txt")
    [ "$h" != - ] && { [ -z "$best" ] || [ "$h" -lt "$best" ]; } && best=$h
    [ "$i" -lt 3 ] && sleep 1
  done
  echo "${best:--}"
}
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$NODE_PID/status"; }
new_topic() { # name partitions: POST /topics, then wait until every partition is led here (the load must not race it)
  curl -s -o /dev/null --max-time 300 -X POST "$URL/topics" -H 'content-type: application/json' \
      -d "{\"name\":\"$1\",\"partitions\":$2,\"replication_factor\":1}"
  wait_ready "$2" 600 >&2
}

declare -A FIG
{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null | grep -q . && echo '(dirty)'); jar: $JAR"
  echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings: TOPICS=$TOPICS PARTS=$PARTS IDLE_S=$IDLE_S FEW=$FEW MANY=$MANY KEYS=$KEYS N=$N BATCH=$BATCH CONNS=$CONNS RUNS=$RUNS WS_IDLE=$WS_IDLE WS_IDLE_PARTS=$WS_IDLE_PARTS FANOUT=$FANOUT FANOUT_RECORDS=$FANOUT_RECORDS FANOUT_S=$FANOUT_S FANOUT_FRAME_BYTES=$FANOUT_FRAME_BYTES SLUICE_JAVA_OPTS=$SLUICE_JAVA_OPTS NODE_ARGS=$NODE_ARGS"
  echo "limits: ulimit -n $(ulimit -n), local ports $(tr '\t' '-' < /proc/sys/net/ipv4/ip_local_port_range)"
} | tee "$OUT/env.txt" >&2

if [ "$SKIP_LIFECYCLE" != 1 ]; then
  new_node life
  log "node on $URL, data $DATA: creating $TOPICS topics x $PARTS partitions"
  start_node life
  wait_ready 0 120 || exit 1
  t0=$(now)
  python3 bench/lib/create_topics.py "$URL" "$TOPICS" "$PARTS" "$CREATE_CONCURRENCY" > "$OUT/create-codes.txt"
  t1=$(now)
  wait_ready "$TOTAL" 600
  t2=$(now)
  FIG[create]=$(secs "$t0" "$t2")
  log "created in ${FIG[create]} s (requests answered after $(secs "$t0" "$t1") s; codes: $(sort "$OUT/create-codes.txt" | uniq -c | tr '\n' ' '))"

  log "idle: ${SETTLE_S} s to settle, then ${IDLE_S} s measured"
  sleep "$SETTLE_S"
  c0=$(cpu_ticks "$NODE_PID"); i0=$(now)
  sleep "$IDLE_S"
  c1=$(cpu_ticks "$NODE_PID"); i1=$(now)
  # (Someone else's script may stop Java processes on this shared machine: a node that stopped
  # during the window gives no figure.)
  grep -q "stopping: handing over" "$OUT/node-life.log" && { log "the node was stopped from outside during the idle window"; exit 1; }
  FIG[idle]=$(awk -v c="$((c1 - c0))" -v hz="$HZ" -v a="$i0" -v b="$i1" 'BEGIN { printf "%.1f", 100 * c / hz / (b - a) }')
  FIG[fds]=$(ls "/proc/$NODE_PID/fd" | wc -l)
  FIG[threads]=$(ls "/proc/$NODE_PID/task" | wc -l)
  FIG[rss]=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$NODE_PID/status")
  curl -sf --max-time 60 "$URL/metrics" > "$OUT/metrics-idle.txt"
  FIG[m_open_files]=$(metric_sum process_files_open_files)
  FIG[m_open_segments]=$(metric_sum sluice_log_open_segments)
  FIG[m_heap]=$(heap_mib "$OUT/metrics-idle.txt")
  log "idle ${FIG[idle]} % of a core; fds ${FIG[fds]}, threads ${FIG[threads]}, RSS ${FIG[rss]} MiB"

  log "clean stop"
  s0=$(now); stop_node; s1=$(now)
  FIG[stop]=$(secs "$s0" "$s1")
  log "start after the clean stop"
  s0=$(now); start_node life; wait_ready "$TOTAL" 300; s1=$(now)
  FIG[start_clean]=$(secs "$s0" "$s1")
  log "stopped in ${FIG[stop]} s, ready in ${FIG[start_clean]} s; SIGKILL and start"
  kill -KILL "$NODE_PID"; wait "$NODE_PID" 2>/dev/null
  s0=$(now); start_node life; wait_ready "$TOTAL" 300; s1=$(now)
  FIG[start_kill]=$(secs "$s0" "$s1")
  log "ready after SIGKILL in ${FIG[start_kill]} s"
  stop_node; rm -rf "$DATA"; DATA=""
fi

produce_run() { # partitions run
  local p=$1 r=$2 f
  new_node "p$p-$r"; start_node "p$p-$r"
  wait_ready 0 120 || return
  f=$OUT/produce-p$p-r$r.txt
  new_topic keyed "$p" || { stop_node; return; }
  log "keyed produce over $p partitions (run $r)"
  tool "$f" produce-batch --url "$URL" --topic keyed --partitions "$p" --keys "$KEYS" \
      --records "$N" --batch "$BATCH" --connections "$CONNS" --record-size 100 --acks 1 --warmup-s "$WARMUP_S"
  stop_node; rm -rf "$DATA"; DATA=""
  result "$f" produce-batch.records_per_s
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2); else print "-" }'; }
if [ "$SKIP_PRODUCE" != 1 ]; then
  few=""; many=""
  for r in $(seq 1 "$RUNS"); do
    few="$few $(produce_run "$FEW" "$r")"
    many="$many $(produce_run "$MANY" "$r")"
  done
  FIG[few]=$(echo "$few" | median); FIG[many]=$(echo "$many" | median)
  FIG[few_all]=$(echo $few); FIG[many_all]=$(echo $many)
  FIG[ratio]=$(awk -v a="${FIG[many]}" -v b="${FIG[few]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
fi

idle_ws() { # the idle-ws phase: sets FIG[ws_*]
  local f=$OUT/idle-ws.txt ports
  ports=$(awk '{ print $2 - $1 + 1 }' /proc/sys/net/ipv4/ip_local_port_range)
  if [ "$(ulimit -n)" -lt $((WS_IDLE + 1000)) ] || [ "$ports" -lt "$WS_IDLE" ]; then
    log "idle-ws skipped: $WS_IDLE sockets need ulimit -n above $((WS_IDLE + 1000)) (it is $(ulimit -n)) and as many local ports ($ports)"
    return
  fi
  new_node ws-idle; start_node ws-idle
  wait_ready 0 120 && new_topic idle "$WS_IDLE_PARTS" || { stop_node; return; }
  FIG[ws_heap_before]=$(heap_after_gc ws-before)
  log "idle-ws: $WS_IDLE consumers over $WS_IDLE_PARTS partitions (heap before: ${FIG[ws_heap_before]} MiB)"
  # shellcheck disable=SC2086
  timeout 900 java $TOOL_JAVA_OPTS -jar "$LOAD_JAR" consume-idle --url "$URL" --topic idle --connections "$WS_IDLE" \
      --hold-s "$WS_IDLE_HOLD_S" > "$f" 2>&1 &
  TOOL_PID=$!
  while kill -0 "$TOOL_PID" 2>/dev/null && ! grep -q "consumers subscribed" "$f"; do sleep 0.5; done
  if grep -q "consumers subscribed" "$f"; then
    FIG[ws_heap]=$(heap_after_gc ws-held)
    FIG[ws_rss]=$(rss_mib)
    FIG[ws_fds]=$(ls "/proc/$NODE_PID/fd" | wc -l)
    kill -0 "$TOOL_PID" 2>/dev/null || { log "idle-ws: the tool let go of the sockets before the readings ended (raise WS_IDLE_HOLD_S)"; FIG[ws_heap]=""; }
  fi
  wait "$TOOL_PID" || echo "FAILED rc=$?" >> "$f"
  TOOL_PID=""
  FIG[ws_subscribe]=$(result "$f" consume-idle.subscribe_seconds)
  FIG[ws_per_socket]=$(awk -v a="${FIG[ws_heap_before]}" -v b="${FIG[ws_heap]:--}" -v n="$WS_IDLE" \
      'BEGIN { if (a != "-" && b != "-" && b != "") printf "%.1f", (b - a) * 1024 / n; else print "-" }')
  grep -h -E '^FAIL|FAILED' "$f" | sed 's/^/  idle-ws: /' >&2
  log "idle-ws: heap ${FIG[ws_heap]:--} MiB after GC (${FIG[ws_per_socket]} KiB a socket), RSS ${FIG[ws_rss]:--} MiB, fds ${FIG[ws_fds]:--}"
  stop_node; rm -rf "$DATA"; DATA=""
}
fanout() { # the fanout phase: sets FIG[fanout*]
  local f=$OUT/fanout.txt
  new_node fanout; start_node fanout
  wait_ready 0 120 && new_topic fanout 1 || { stop_node; return; }
  log "fanout: filling the topic with $FANOUT_RECORDS records"
  tool "$OUT/fanout-fill.txt" produce-ws --url "$URL" --topic fanout --records "$FANOUT_RECORDS" --batch 1000 \
      --inflight 4 --record-size 100 --acks 1 --warmup-s 0
  log "fanout: $FANOUT consumers reading it from offset 0"
  tool "$f" consume-fanout --url "$URL" --topic fanout --consumers "$FANOUT" --warmup-s "$FANOUT_WARMUP_S" \
      --duration-s "$FANOUT_S" --max-frame-bytes "$FANOUT_FRAME_BYTES" --record-size 100
  FIG[fanout]=$(result "$f" consume-fanout.records_per_s)
  FIG[fanout_slowest]=$(result "$f" consume-fanout.slowest_consumer_records_per_s)
  FIG[fanout_mib]=$(result "$f" consume-fanout.MiB_per_s)
  FIG[fanout_window]=$(result "$f" consume-fanout.seconds)
  grep -h -E '^FAIL|FAILED' "$OUT/fanout-fill.txt" "$f" | sed 's/^/  fanout: /' >&2
  log "fanout: ${FIG[fanout]:--} records/s delivered across $FANOUT consumers (slowest ${FIG[fanout_slowest]:--}/s) over ${FIG[fanout_window]:--} s, closed by $(result "$f" consume-fanout.window_closed_by)"
  stop_node; rm -rf "$DATA"; DATA=""
}
[ "$SKIP_IDLE_WS" != 1 ] && idle_ws
[ "$SKIP_FANOUT" != 1 ] && fanout

v() { echo "${FIG[$1]:--}"; }
{
  echo
  printf '%-58s %14s  %s\n' "figure ($TOPICS topics x $PARTS partitions = $TOTAL)" "measured" "target"
  printf '%-58s %14s  %s\n' "create, first POST to every partition led (s)" "$(v create)" "< 15"
  printf '%-58s %14s  %s\n' "idle CPU over ${IDLE_S} s (% of one core)" "$(v idle)" "< 5"
  printf '%-58s %14s  %s\n' "clean stop, SIGTERM to exit (s)" "$(v stop)" ""
  printf '%-58s %14s  %s\n' "start after clean stop, to ready (s)" "$(v start_clean)" "< 8"
  printf '%-58s %14s  %s\n' "start after SIGKILL, to ready (s)" "$(v start_kill)" "< 15"
  printf '%-58s %14s  %s\n' "idle: open fds / threads / RSS MiB" "$(v fds) / $(v threads) / $(v rss)" "bounded"
  printf '%-58s %14s  %s\n' "/metrics: open files / open segments / heap used MiB" "$(v m_open_files) / $(v m_open_segments) / $(v m_heap)" "shown"
  printf '%-58s %14s  %s\n' "keyed produce, $FEW partitions (rec/s; runs: $(v few_all))" "$(v few)" ""
  printf '%-58s %14s  %s\n' "keyed produce, $MANY partitions (rec/s; runs: $(v many_all))" "$(v many)" ""
  printf '%-58s %14s  %s\n' "ratio $MANY / $FEW partitions" "$(v ratio)" ">= 0.7"
  printf '%-58s %14s  %s\n' "$WS_IDLE idle WebSockets: node heap after GC (MiB)" "$(v ws_heap)" "< 1024"
  printf '%-58s %14s  %s\n' "  heap before them / KiB a socket / RSS MiB" "$(v ws_heap_before) / $(v ws_per_socket) / $(v ws_rss)" "shown"
  printf '%-58s %14s  %s\n' "  open fds / all subscribed after (s)" "$(v ws_fds) / $(v ws_subscribe)" "shown"
  printf '%-58s %14s  %s\n' "fan-out, $FANOUT consumers of one topic (rec/s delivered)" "$(v fanout)" ">= 1,000,000"
  printf '%-58s %14s  %s\n' "  MiB/s / slowest consumer rec/s / window s" "$(v fanout_mib) / $(v fanout_slowest) / $(v fanout_window)" "shown"
} | tee "$OUT/table.txt"
