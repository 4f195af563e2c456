#!/usr/bin/env bash
# History-scan speed and memory of eskit vs gitleaks 8.30, side by side, with `git cat-file --batch-all-objects
# --batch --unordered` (decoding every object once: the physical floor) as the reference; plus `--staged` latency
# on a 20-file change.
#
# Usage: bench/scan.sh [ESKIT_BINARY] [REPOSITORY...]
#   ESKIT_BINARY  default .build/release/eskit
#   REPOSITORY    extra repositories to measure (work trees or bare); two generated GitOps repositories of $COMMITS
#                 commits (default 5000) under bench/.work/scan/ are always measured first: one file per resource;
#                 one multi-document file per service and environment; and rendered Helm output of 20-100 KB per
#                 service and environment (bench/lib/gen_gitops_history.py, --multidoc and --rendered).
# Environment: COMMITS (default 5000), RUNS (best of, default 3; gitleaks runs once per repository).
# Targets: eskit <= 2.5x cat-file; >= 10x faster than gitleaks on manifest-heavy repositories; peak RSS < 200 MB;
# --staged < 100 ms.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build/release/eskit}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
shift || true
[ -x "$bin" ] || { echo "scan.sh: eskit binary not found at $bin (make release)" >&2; exit 2; }
. "$root/bench/lib/peers.sh"
ensure_time
COMMITS="${COMMITS:-5000}"
RUNS="${RUNS:-3}"
work="$root/bench/.work/scan"
mkdir -p "$work"

# build_repository DIR [GENERATOR-FLAGS...]: a generated GitOps history of $COMMITS commits (cached). fast-import
# deltifies each blob against the blob written just before it, usually another file ("the resulting packfile will
# not be optimal", git-fast-import(1)); `repack -adf` recomputes every delta the way `git gc --aggressive` and
# hosting servers do, so the repository is packed like a clone of a real one.
build_repository() {
    local dir="$1"; shift
    [ -f "$dir/.complete-adf" ] && return
    echo "building $dir ($COMMITS commits, git fast-import, git repack -adf) ..."
    rm -rf "$dir"
    git init -q --bare -b main "$dir"
    python3 "$root/bench/lib/gen_gitops_history.py" "$COMMITS" 7 "$@" | git -C "$dir" fast-import --quiet
    git -C "$dir" repack -adfq
    touch "$dir/.complete-adf"
}
generated="$work/gitops-$COMMITS.git"
multidoc="$work/gitops-multidoc-$COMMITS.git"
rendered="$work/gitops-rendered-$COMMITS.git"
build_repository "$generated"
build_repository "$multidoc" --multidoc
build_repository "$rendered" --rendered

gitleaks_bin="$(find_gitleaks || true)"
[ -n "$gitleaks_bin" ] && gitleaks_version="$("$gitleaks_bin" version 2>/dev/null || echo '?')"

# measure RUNS CMD...: best wall seconds, the peak RSS (KB) and the CPU seconds (user + system) of that run;
# output of CMD goes to /dev/null. CPU time is printed too: on a shared machine it is the steadier number.
measure() {
    local runs="$1"; shift
    local best="" best_kb="" best_cpu="" i s kb u sy stats
    stats="$(mktemp)"
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e %M %U %S" -o "$stats" "$@" >/dev/null 2>&1 || true
        read -r s kb u sy < <(tail -1 "$stats")
        if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then
            best=$s best_kb=$kb best_cpu=$(awk -v a="$u" -v b="$sy" 'BEGIN { printf "%.2f", a + b }')
        fi
    done
    rm -f "$stats"
    echo "$best $best_kb $best_cpu"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.005; printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

printf '\n%-28s %8s %8s | %8s %7s %7s | %9s %7s %8s\n' repository commits cat-file "eskit" "MB" "/cat" gitleaks "MB" speedup
for repo in "$generated" "$multidoc" "$rendered" "$@"; do
    [ -d "$repo" ] || { echo "scan.sh: no repository at $repo" >&2; continue; }
    repo="$(cd "$repo" && pwd)"
    commits="$(git -C "$repo" rev-list --all --count)"
    git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null
    read -r cat_s _ cat_cpu < <(measure "$RUNS" git -C "$repo" cat-file --batch-all-objects --batch --unordered)
    report="$(mktemp "$work/eskit-report.XXXXXX")"
    read -r esk_s esk_kb esk_cpu < <(measure "$RUNS" "$bin" scan --history --no-progress --format json --output "$report" "$repo")
    findings="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["findings"])' "$report" 2>/dev/null || echo '?')"
    rm -f "$report"
    gl_s="-" gl_kb="" gl_cpu="-" speed="-" gl_findings="-"
    if [ -n "$gitleaks_bin" ]; then
        gl_report="$(mktemp "$work/gitleaks-report.XXXXXX")"
        read -r gl_s gl_kb gl_cpu < <(measure 1 "$gitleaks_bin" git --redact --no-banner --report-format json \
            --report-path "$gl_report" "$repo")
        gl_findings="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$gl_report" 2>/dev/null || echo '?')"
        rm -f "$gl_report"
        speed="$(ratio "$gl_s" "$esk_s")x"
    fi
    printf '%-28s %8s %7ss | %7ss %7s %6sx | %8ss %7s %8s\n' "$(basename "$repo")" "$commits" "$cat_s" "$esk_s" \
        "$(mb "$esk_kb")" "$(ratio "$esk_s" "$cat_s")" "$gl_s" "${gl_kb:+$(mb "$gl_kb")}" "$speed"
    echo "    CPU seconds: cat-file $cat_cpu, eskit $esk_cpu ($(ratio "$esk_cpu" "$cat_cpu")x), gitleaks $gl_cpu"
    echo "    findings: eskit $findings, gitleaks $gl_findings${gitleaks_version:+ (gitleaks $gitleaks_version)}"
done

# --staged on a 20-file change in a clone of the generated repository.
staged="$work/staged-worktree"
rm -rf "$staged"
git clone -q "$generated" "$staged"
i=0
for f in $(git -C "$staged" ls-files 'apps/*/configmap.yaml' | head -20); do
    i=$((i + 1))
    printf '  feature.bench.%d: "on"\n' "$i" >> "$staged/$f"
done
git -C "$staged" add -A
echo
if command -v hyperfine >/dev/null; then
    hyperfine --warmup 3 --runs 30 -i --style basic -N "$bin scan --staged --no-progress $staged" 2>/dev/null \
        | grep -E 'Time|Range' | sed 's/^/  --staged (20 files): /'
else
    t0=$EPOCHREALTIME
    for ((i = 0; i < 20; i++)); do "$bin" scan --staged --no-progress "$staged" >/dev/null || true; done
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  --staged (20 files): mean %.1f ms over 20 runs\n", (b - a) * 50 }'
fi
