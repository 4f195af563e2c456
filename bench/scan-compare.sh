#!/usr/bin/env bash
# Two eskit binaries side by side on the history-scan repositories bench/scan.sh builds (run it once first) and
# on its 20-file staged change: RUNS interleaved runs each (default 20), best wall and CPU time, new/old ratios.
# The way to check "no loss of speed" on a busy two-core machine, where back-to-back bench/scan.sh runs differ by
# more than the change being measured.
# Usage: bench/scan-compare.sh OLD_ESKIT NEW_ESKIT
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -eq 2 ] || { echo "usage: bench/scan-compare.sh OLD_ESKIT NEW_ESKIT" >&2; exit 2; }
work="$root/bench/.work/scan"
[ -d "$work/gitops-5000.git" ] || { echo "scan-compare.sh: run bench/scan.sh first (it builds $work)" >&2; exit 2; }
cd "$work"
python3 - "$1" "$2" "${RUNS:-20}" <<'PY'
import os, subprocess, sys, time
old, new, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(binary, args):
    start = time.perf_counter()
    p = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime
cases = [(r, ["scan", "--history", "--no-progress", "--format", "json", "--output", "/dev/null", r])
         for r in ("gitops-5000.git", "gitops-multidoc-5000.git", "gitops-rendered-5000.git") if os.path.isdir(r)]
if os.path.isdir("staged-worktree"):
    cases.append(("--staged (20 files)", ["scan", "--staged", "--no-progress", "staged-worktree"]))
print(f"{'case':28s} {'old wall':>9s} {'new wall':>9s} {'ratio':>6s}   {'old cpu':>8s} {'new cpu':>8s} {'ratio':>6s}")
for name, args in cases:
    best = {old: [1e9, 1e9], new: [1e9, 1e9]}
    for i in range(runs):
        for b in ((old, new) if i % 2 == 0 else (new, old)):
            w, c = run(b, args)
            best[b] = [min(best[b][0], w), min(best[b][1], c)]
    (ow, oc), (nw, nc) = best[old], best[new]
    print(f"{name:28s} {ow:8.3f}s {nw:8.3f}s {nw / ow:6.3f}   {oc:7.3f}s {nc:7.3f}s {nc / oc:6.3f}")
PY
