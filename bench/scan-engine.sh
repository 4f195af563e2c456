#!/usr/bin/env bash
# Detection-engine throughput (no Git): generates a synthetic GitOps manifest corpus of SIZE_MB megabytes
# (default 50) and scans it in memory with 1 and N threads (default: all cores).
# Usage: bench/scan-engine.sh [SIZE_MB] [THREADS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-50}"
threads="${2:-$(nproc)}"
work="$root/bench/.work/scan-engine"
swift build -c release --static-swift-stdlib --product eskit-bench --package-path "$root" >/dev/null
bin="$root/.build/release/eskit-bench"
if [ ! -f "$work/.size-$size" ]; then
    rm -rf "$work"
    python3 "$root/bench/lib/gen_scan_corpus.py" "$work/corpus" "$size"
    touch "$work/.size-$size"
fi
echo "== 1 thread"
"$bin" scan-files --repeat 3 "$work/corpus"
if [ "$threads" -gt 1 ]; then
    echo "== $threads threads"
    "$bin" scan-files --repeat 3 --threads "$threads" "$work/corpus" | grep -E '^(seconds|MB/s)'
fi
