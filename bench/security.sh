#!/usr/bin/env bash
# The cost of security (issue 15): the same workloads on one node with security off, with HTTP Basic
# (security.enabled=true, the load tool's --user), and over TLS (HTTPS/WSS, security off), each on a fresh
# node from target/sluice.jar, alternating in RUNS rounds; medians and their ratios to "off" printed beside
# the target (Basic >= 0.8x off for batch produce).
#
# Workloads (the load tool, target/sluice-load.jar; as bench/compare.sh runs them): produce-batch
# (N records of 100 B in JSON batches of BATCH over CONNS connections, acks=1, one partition), then consume-ws
# of the same records (one socket, credit CREDIT).
# TLS: a throwaway CA and server certificate made with openssl under the results directory; the tool trusts
# the CA (--ca). TLS 1.3 as the JDK negotiates it.
#
# Knobs (env): N=1000000 BATCH=1000 CONNS=4 CREDIT=5000 RUNS=3 WARMUP_S=5 MODES="off basic tls"
#   SLUICE_JAVA_OPTS="-Xmx2g" TOOL_JAVA_OPTS="-Xmx1g" BUILD=1 (mvn package first)
# Raw outputs: bench/results/security-<timestamp>/ (git-ignored).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-1000000}; BATCH=${BATCH:-1000}; CONNS=${CONNS:-4}; CREDIT=${CREDIT:-5000}; RUNS=${RUNS:-3}; WARMUP_S=${WARMUP_S:-5}
MODES=${MODES:-off basic tls}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx2g}; TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--Xmx1g}
JAR=$ROOT/target/sluice.jar; LOAD_JAR=$ROOT/target/sluice-load.jar
OUT=$ROOT/bench/results/security-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
USER_PW="bench:bench-secret-$$"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$LOAD_JAR" ]; then
  log "building"; mvn -B -q -o -DskipTests package || exit 1
fi

# A CA and a server certificate for 127.0.0.1, for the tls mode.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" -keyout "$OUT/ca.key" -out "$OUT/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$OUT/node.key" -out "$OUT/node.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$OUT/san.ext"
openssl x509 -req -in "$OUT/node.csr" -CA "$OUT/ca.pem" -CAkey "$OUT/ca.key" -CAcreateserial -days 2 \
    -extfile "$OUT/san.ext" -out "$OUT/node.crt" 2>/dev/null || { log "openssl failed"; exit 1; }

NODE_PID=""; DATA=""
cleanup() { [ -n "$NODE_PID" ] && kill -KILL "$NODE_PID" 2>/dev/null; [ -n "$DATA" ] && rm -rf "$DATA"; }
trap cleanup EXIT

tool() { # outfile workload args...
  local out=$1; shift
  # shellcheck disable=SC2086
  timeout 900 java $TOOL_JAVA_OPTS -jar "$LOAD_JAR" "$@" > "$out" 2>&1 || echo "FAILED rc=$?" >> "$out"
}
result() { awk -v k="RESULT $2" '$1" "$2 == k { print $3 }' "$1" | tail -1; }

run_mode() { # mode round: a fresh node, both workloads
  local mode=$1 r=$2 port cport scheme=http flags=() access=() env=()
  port=$(free_port); cport=$(free_port); DATA=$(mktemp -d /tmp/sluice-security-XXXXXX)
  case $mode in
    basic) flags=(--set security.enabled=true --set "super.users=User:${USER_PW%%:*}")
           access=(--user "$USER_PW"); env=("SLUICE_SECURITY_BOOTSTRAP_USERS=$USER_PW") ;;
    tls)   flags=(--set "security.tls.cert=$OUT/node.crt" --set "security.tls.key=$OUT/node.key")
           scheme=https; access=(--ca "$OUT/ca.pem") ;;
  esac
  env "${env[@]}" java $SLUICE_JAVA_OPTS -jar "$JAR" --http-host 127.0.0.1 --http-port "$port" --data-dir "$DATA" \
      --cluster-port "$cport" --cluster-name "security-$$-$mode-$r" "${flags[@]}" > "$OUT/node-$mode-r$r.log" 2>&1 &
  NODE_PID=$!
  local ready=0
  for _ in $(seq 1 120); do
    curl -sfk "$scheme://127.0.0.1:$port/ready" > /dev/null && { ready=1; break; }
    kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5
  done
  if [ $ready = 1 ]; then
    local url=$scheme://127.0.0.1:$port f=$OUT/$mode-r$r
    log "round $r, $mode: produce-batch, consume-ws"
    tool "$f-produce-batch.txt" produce-batch --url "$url" "${access[@]}" --record-size 100 --create-topic --partitions 1 \
        --acks 1 --warmup-s "$WARMUP_S" --topic pb --records "$N" --batch "$BATCH" --connections "$CONNS"
    tool "$f-consume-ws.txt" consume-ws --url "$url" "${access[@]}" --record-size 100 \
        --warmup-s "$WARMUP_S" --topic pb --records "$N" --credit "$CREDIT"
  else
    log "round $r, $mode: the node did not become ready (see $OUT/node-$mode-r$r.log)"
  fi
  kill -TERM "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null; NODE_PID=""
  rm -rf "$DATA"; DATA=""
}

{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null | grep -q . && echo '(dirty)')"
  echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); N=$N BATCH=$BATCH CONNS=$CONNS CREDIT=$CREDIT RUNS=$RUNS"
} | tee "$OUT/env.txt" >&2

for r in $(seq 1 "$RUNS"); do
  for mode in $MODES; do run_mode "$mode" "$r"; done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
figure() { # mode workload: the median of its runs' records/s, and the runs
  local runs=() r v
  for r in $(seq 1 "$RUNS"); do
    v=$(result "$OUT/$1-r$r-$2.txt" "$2.records_per_s" 2>/dev/null); [ -n "$v" ] && runs+=("$v")
  done
  echo "$(printf '%s\n' "${runs[@]}" | grep . | median) (${runs[*]})"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
{
  printf '%-34s %24s  %8s  %s\n' "workload, mode" "records/s median (runs)" "x off" "target"
  for w in produce-batch consume-ws; do
    off=$(figure off $w); off_m=${off%% *}
    for mode in $MODES; do
      fig=$(figure "$mode" $w); m=${fig%% *}
      target=""; [ "$mode" = basic ] && [ $w = produce-batch ] && target=">= 0.80"
      printf '%-34s %24s  %8s  %s\n' "$w, $mode" "$fig" "$(ratio "$m" "$off_m")" "$target"
    done
  done
} | tee "$OUT/summary.txt"
