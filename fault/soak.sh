#!/usr/bin/env bash
# The long fault-injection soak: every scenario (or those named) against the packaged jar, nodes in
# network namespaces, then the per-scenario table (acknowledged, lost, inconsistent offsets,
# duplicates, partition -> majority writes, heal -> full ISR). Needs root.
#
#   fault/soak.sh [--seed N] [--duration SECONDS] [--scenarios all|name,name] [--voters auto|on|off]
#                 [--voter-count N] [--report-only] [--enforce-targets] [--no-build]
#
# --duration is the combined random schedule's length (default 600); --report-only measures without
# failing on anomalies (today's controller); scenario names: isolate-follower, isolate-leader,
# isolate-leader-and-follower, bridge, kill-leader, pause-leader, clock-step, combined.
# Histories, node logs and result.txt per scenario: target/fault-runs/<scenario>-<time>/;
# the table: target/fault-runs/soak-<time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=13 duration=600 scenarios=all voters=auto voter_count="" expect_safe=true targets=false build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --voters) voters="$2"; shift 2 ;;
    --voter-count) voter_count="$2"; shift 2 ;;
    --report-only) expect_safe=false; shift ;;
    --enforce-targets) targets=true; shift ;;
    --no-build) build=false; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
fault/setup.sh
extra=()
[ -n "$voter_count" ] && extra+=("-Dsluice.fault.voterCount=$voter_count")
# failsafe runs SoakIT alone (unit tests skipped); -DskipTests would skip it too, so it is not used.
goals=(verify)
[ "$build" = false ] && goals=(failsafe:integration-test failsafe:verify)
set +e
mvn -B "${goals[@]}" -Dit.test=SoakIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsluice.it.heap=6g -Dsluice.fault.excludedGroups=none -Dsluice.fault.soak="$scenarios" -Dsluice.fault.seed="$seed" \
  -Dsluice.fault.duration="$duration" -Dsluice.fault.voters="$voters" -Dsluice.fault.expectSafe="$expect_safe" \
  -Dsluice.fault.enforceTargets="$targets" "${extra[@]}" | tee target/soak-last.log | grep --line-buffered -E '^\[fault\]|^\||^=====|^  (step|note)|VALID|Tests run|ERROR'
status=${PIPESTATUS[0]}
set -e
latest=$(ls -t target/fault-runs/soak-*.md 2>/dev/null | head -1 || true)
[ -n "$latest" ] && { echo; echo "table: $latest"; cat "$latest"; }
exit "$status"
