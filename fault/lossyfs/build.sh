#!/usr/bin/env bash
# Builds lossyfs (see lossyfs.c). Usage: fault/lossyfs/build.sh [OUTPUT] (default: ./lossyfs).
# Needs gcc, pkg-config and libfuse3-dev (Debian: apt-get install gcc pkg-config libfuse3-dev fuse3).
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)/lossyfs.c"
out="${1:-lossyfs}"
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2046
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -o "$tmp" "$src" $(pkg-config --cflags --libs fuse3) -pthread
mv -f "$tmp" "$out"
