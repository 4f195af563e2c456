#!/usr/bin/env bash
# Precision and recall of eskit and gitleaks on the labelled corpus (fixtures/accuracy/corpus, expanded at run
# time with generated secrets into bench/.work/accuracy). VERBOSE=1 lists every miss and false positive.
# Usage: bench/accuracy.sh [ESKIT_BINARY]   (default .build/release/eskit)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build/release/eskit}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "accuracy: eskit binary not found at $bin" >&2; exit 2; }
. "$root/bench/lib/peers.sh"
work="$root/bench/.work/accuracy"
rm -rf "$work"
mkdir -p "$work"
python3 "$root/bench/lib/accuracy.py" expand "$root/fixtures/accuracy/corpus" "$work"
# Its own repository, so eskit scans it as a work tree (bench/.work is ignored by the project's repository).
git -C "$work/corpus" init -q -b main
git -C "$work/corpus" -c user.name=bench -c user.email=bench@example.invalid add -A
git -C "$work/corpus" -c user.name=bench -c user.email=bench@example.invalid commit -q -m corpus

status=0
"$bin" scan --no-progress --format json --output "$work/eskit.json" "$work/corpus" || status=$?
[ "$status" -le 1 ] || { echo "accuracy: eskit failed (exit $status)" >&2; exit "$status"; }
reports=("eskit=$work/eskit.json")
if gitleaks_bin="$(find_gitleaks)"; then
    status=0
    "$gitleaks_bin" dir --no-banner --redact --report-format json --report-path "$work/gitleaks.json" \
        "$work/corpus" 2>"$work/gitleaks.log" || status=$?
    [ "$status" -le 1 ] || { echo "accuracy: gitleaks failed (exit $status), see $work/gitleaks.log" >&2; exit 2; }
    reports+=("gitleaks=$work/gitleaks.json")
else
    echo "accuracy: gitleaks unavailable; scoring eskit only" >&2
fi
python3 "$root/bench/lib/accuracy.py" score "$work/labels.json" "${reports[@]}"
