#!/usr/bin/env bash
# Installs what the fault-injection suite needs (iptables, libfaketime), skipping what is there.
# Needs root (as the suite itself: network namespaces). Safe to run repeatedly.
set -euo pipefail
need=()
command -v iptables-restore >/dev/null 2>&1 || need+=(iptables)
ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1 || need+=(faketime)
if [ ${#need[@]} -eq 0 ]; then
  echo "fault/setup.sh: iptables and faketime already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "fault/setup.sh: not root, cannot install ${need[*]} (the fault ITs will skip: they need root)" >&2
  exit 0
fi
echo "fault/setup.sh: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt process may hold the lock for a while on a shared machine: wait for it (bounded).
for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; then
    exit 0
  fi
  echo "fault/setup.sh: apt-get failed (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done
exit 1
