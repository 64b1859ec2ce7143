#!/usr/bin/env bash
# The cost of schemas (issue 16), on one node per round from target/sluice.jar, RUNS rounds; medians and
# their ratios printed beside the targets:
#   avro-json        produce-batch --format avro: 100-byte records as Avro JSON (application/vnd.kafka.avro.v2+json),
#                    which the node encodes into the wire format     >= 0.5x plain-json
#   plain-json       produce-batch: the same number of 100-byte JSON string values (compare.sh's batch row)
#   wire-validating  produce-batch --format wire: 100-byte wire-format Avro values (base64, the binary content type)
#                    on a topic with confluent.value.schema.validation=true   >= 0.8x wire-plain
#   wire-plain       the same records on a topic without validation
# The schema (the load tool's SchemaPayloads.AVRO_SCHEMA) is registered under <topic>-value first.
#
# Knobs (env): N=1000000 BATCH=1000 CONNS=4 RUNS=3 WARMUP_S=5 SLUICE_JAVA_OPTS="-Xmx2g" TOOL_JAVA_OPTS="-Xmx1g"
#   BUILD=1 (mvn package first). Raw outputs: bench/results/schema-<timestamp>/ (git-ignored).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-1000000}; BATCH=${BATCH:-1000}; CONNS=${CONNS:-4}; RUNS=${RUNS:-3}; WARMUP_S=${WARMUP_S:-5}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx2g}; TOOL_JAVA_OPTS=${TOOL_JAVA_OPTS:--Xmx1g}
JAR=$ROOT/target/sluice.jar; LOAD_JAR=$ROOT/target/sluice-load.jar
OUT=$ROOT/bench/results/schema-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
SCHEMA='{"type":"record","name":"BenchRecord","namespace":"io.sluice.bench","fields":[{"name":"payload","type":"string"}]}'
WORKLOADS="plain-json avro-json wire-plain wire-validating"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$LOAD_JAR" ]; then
  log "building"; mvn -B -q -o -DskipTests package || exit 1
fi

NODE_PID=""; DATA=""
cleanup() { [ -n "$NODE_PID" ] && kill -KILL "$NODE_PID" 2>/dev/null; [ -n "$DATA" ] && rm -rf "$DATA"; }
trap cleanup EXIT

tool() { # outfile workload args...
  local out=$1; shift
  # shellcheck disable=SC2086
  timeout 900 java $TOOL_JAVA_OPTS -jar "$LOAD_JAR" "$@" > "$out" 2>&1 || echo "FAILED rc=$?" >> "$out"
}
result() { awk -v k="RESULT $2" '$1" "$2 == k { print $3 }' "$1" | tail -1; }
register() { # url subject -> id
  python3 - "$1" "$2" "$SCHEMA" <<'PY'
import json, sys, urllib.request
url, subject, schema = sys.argv[1:4]
req = urllib.request.Request(f"{url}/subjects/{subject}/versions", data=json.dumps({"schema": schema}).encode(),
                             headers={"content-type": "application/vnd.schemaregistry.v1+json"}, method="POST")
print(json.load(urllib.request.urlopen(req))["id"])
PY
}

run_round() { # round
  local r=$1 port cport url id
  port=$(free_port); cport=$(free_port); DATA=$(mktemp -d /tmp/sluice-schema-XXXXXX); url=http://127.0.0.1:$port
  java $SLUICE_JAVA_OPTS -jar "$JAR" --http-host 127.0.0.1 --http-port "$port" --data-dir "$DATA" \
      --cluster-port "$cport" --cluster-name "schema-$$-$r" > "$OUT/node-r$r.log" 2>&1 &
  NODE_PID=$!
  local ready=0
  for _ in $(seq 1 120); do
    curl -sf "$url/ready" > /dev/null && { ready=1; break; }
    kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.5
  done
  if [ $ready = 1 ]; then
    local common=(--url "$url" --record-size 100 --create-topic --partitions 1 --acks 1 --warmup-s "$WARMUP_S"
                  --records "$N" --batch "$BATCH" --connections "$CONNS")
    log "round $r: plain-json"
    tool "$OUT/r$r-plain-json.txt" produce-batch "${common[@]}" --topic pj
    id=$(register "$url" aj-value)
    log "round $r: avro-json (schema id $id)"
    tool "$OUT/r$r-avro-json.txt" produce-batch "${common[@]}" --topic aj --format avro --schema-id "$id"
    id=$(register "$url" wp-value)
    log "round $r: wire-plain"
    tool "$OUT/r$r-wire-plain.txt" produce-batch "${common[@]}" --topic wp --format wire --schema-id "$id"
    id=$(register "$url" wv-value)
    log "round $r: wire-validating"
    tool "$OUT/r$r-wire-validating.txt" produce-batch "${common[@]}" --topic wv --format wire --schema-id "$id" \
        --topic-configs confluent.value.schema.validation=true
  else
    log "round $r: the node did not become ready (see $OUT/node-r$r.log)"
  fi
  kill -TERM "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null; NODE_PID=""
  rm -rf "$DATA"; DATA=""
}

{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null | grep -q . && echo '(dirty)')"
  echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); N=$N BATCH=$BATCH CONNS=$CONNS RUNS=$RUNS"
} | tee "$OUT/env.txt" >&2

for r in $(seq 1 "$RUNS"); do run_round "$r"; done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
figure() { # workload: the median of its runs' records/s, and the runs
  local runs=() r v
  for r in $(seq 1 "$RUNS"); do
    v=$(result "$OUT/r$r-$1.txt" "produce-batch.records_per_s" 2>/dev/null); [ -n "$v" ] && runs+=("$v")
  done
  echo "$(printf '%s\n' "${runs[@]}" | grep . | median) (${runs[*]})"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
{
  printf '%-18s %30s  %-22s %s\n' "workload" "records/s median (runs)" "ratio" "target"
  pj=$(figure plain-json); aj=$(figure avro-json); wp=$(figure wire-plain); wv=$(figure wire-validating)
  printf '%-18s %30s\n' plain-json "$pj"
  printf '%-18s %30s  %-22s %s\n' avro-json "$aj" "$(ratio "${aj%% *}" "${pj%% *}") x plain-json" ">= 0.50"
  printf '%-18s %30s\n' wire-plain "$wp"
  printf '%-18s %30s  %-22s %s\n' wire-validating "$wv" "$(ratio "${wv%% *}" "${wp%% *}") x wire-plain" ">= 0.80"
} | tee "$OUT/summary.txt"
