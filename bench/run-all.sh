#!/usr/bin/env bash
# `make bench`: runs every bench/*.sh with the release binaries (eskit, and eskit-bench next to it).
# Usage: bench/run-all.sh [ESKIT_BINARY]   (default .build/release/eskit)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build/release/eskit}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
bench_bin="$(dirname "$bin")/eskit-bench"
if [ ! -x "$bench_bin" ]; then
    (cd "$root" && swift build -c release --static-swift-stdlib --product eskit-bench >/dev/null) || echo "run-all: eskit-bench not built" >&2
fi
failed=0
for script in "$root"/bench/*.sh; do
    name="$(basename "$script")"
    [ "$name" = run-all.sh ] && continue
    [ "$name" = scan-compare.sh ] && continue  # needs two binaries (old and new)
    [ "$name" = fuzz.sh ] && continue  # not a measurement: an hour of sanitized fuzzing, run on its own
    echo
    echo "==== bench/$name"
    # Scripts that measure library internals take eskit-bench; the others take eskit.
    if grep -q 'eskit-bench' "$script"; then arg="$bench_bin"; else arg="$bin"; fi
    bash "$script" "$arg" || { echo "bench/$name failed (exit $?)"; failed=1; }
done
exit "$failed"
