#!/usr/bin/env bash
# Distinct-blob read throughput of eskit (libgit2, and straight from the packs in delta order as history scans read)
# vs `git cat-file --batch-all-objects --batch --unordered`.
#
# Usage: bench/git.sh [ESKIT_BENCH_BINARY] [REPOSITORY]
#   ESKIT_BENCH_BINARY  default .build/release/eskit-bench (build: swift build -c release --static-swift-stdlib --product eskit-bench)
#   REPOSITORY          any repository (work tree or bare); default: a generated GitOps repository of 5,000 commits
#                       of evolving Kubernetes manifests under bench/.work/ (built once with git fast-import)
# Environment: COMMITS (default 5000), RUNS (default 5; the best run counts), WORKERS (default 1).
# Targets: eskit throughput >= 0.8x git cat-file, eskit peak RSS < 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release/eskit-bench}"
REPO="${2:-}"
RUNS="${RUNS:-5}"
COMMITS="${COMMITS:-5000}"
WORKERS="${WORKERS:-1}"

[ -x "$BIN" ] || { echo "git.sh: $BIN not found; run: swift build -c release --static-swift-stdlib --product eskit-bench" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get install -y -qq time >/dev/null
fi

if [ -z "$REPO" ]; then
    REPO="bench/.work/manifests-v2-$COMMITS.git"
    if [ ! -f "$REPO/.complete" ]; then
        echo "building $REPO ($COMMITS commits) ..."
        rm -rf "$REPO"
        git init -q --bare "$REPO"
        python3 bench/lib/gen_git_history.py "$COMMITS" | git -C "$REPO" fast-import --quiet
        git -C "$REPO" repack -adq
        touch "$REPO/.complete"
    fi
fi
[ -d "$REPO" ] || { echo "git.sh: no repository at $REPO" >&2; exit 2; }

# One timed run: prints "seconds peak_kb" (wall clock from $EPOCHREALTIME, peak RSS from /usr/bin/time); the
# command's stdout goes to the file $1.
timed() {
    local out="$1" rss t0 t1
    shift
    rss=$(mktemp)
    t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$rss" "$@" >"$out"
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" -v kb="$(tail -1 "$rss")" 'BEGIN {printf "%.3f %s\n", b - a, kb}'
    rm -f "$rss"
}

# The two commands alternate, $RUNS times each, so a busy machine slows both alike; the best run of each counts.
git -C "$REPO" cat-file --batch-all-objects --batch --unordered >/dev/null   # warm the page cache
tmp=$(mktemp)
git_s="" esk_s="" delta_s=""
delta_tmp=$(mktemp)
for ((run = 0; run < RUNS; run++)); do
    read -r s kb < <(timed /dev/null git -C "$REPO" cat-file --batch-all-objects --batch --unordered)
    if [ -z "$git_s" ] || awk "BEGIN{exit !($s < $git_s)}"; then git_s=$s; git_kb=$kb; fi
    read -r s kb < <(timed "$tmp" "$BIN" git-blobs "$REPO" --workers "$WORKERS")
    if [ -z "$esk_s" ] || awk "BEGIN{exit !($s < $esk_s)}"; then esk_s=$s; esk_kb=$kb; fi
    read -r s kb < <(timed "$delta_tmp" "$BIN" git-blobs "$REPO" --workers "$WORKERS" --delta-order)
    if [ -z "$delta_s" ] || awk "BEGIN{exit !($s < $delta_s)}"; then delta_s=$s; delta_kb=$kb; fi
done
summary=$(head -2 "$tmp" | tr '\n' ' ')
delta_summary=$(head -2 "$delta_tmp" | tr '\n' ' ')
rm -f "$tmp" "$delta_tmp"

objects=$(git -C "$REPO" count-objects -v | awk '/^(count|in-pack):/ {n += $2} END {print n}')
commits=$(git -C "$REPO" rev-list --all | wc -l)
blob_mb=$(git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' --unordered |
          awk '$1 == "blob" {s += $2} END {printf "%.1f", s / 1e6}')
oracle=$(git -C "$REPO" rev-list --all --objects --missing=print | grep -v '^?' | cut -c1-40 |
         git -C "$REPO" cat-file --batch-check='%(objecttype)' | grep -c '^blob' || true)
eskit_blobs=$(sed -n 's/.*blobs=\([0-9]*\).*/\1/p' <<<"$summary")
echo "repository: $REPO ($commits commits, $objects objects, $blob_mb MB of blobs); best of $RUNS runs"
echo "eskit: $summary"
echo "distinct blobs: eskit $eskit_blobs, git rev-list --all --objects $oracle $([ "$eskit_blobs" = "$oracle" ] && echo "(same)" || echo "(DIFFERENT)")"
printf "%-52s %9s %12s\n" "command" "seconds" "peak RSS MB"
printf "%-52s %9s %12.1f\n" "git cat-file --batch-all-objects --batch --unordered" "$git_s" "$(awk "BEGIN{print $git_kb/1024}")"
printf "%-52s %9s %12.1f\n" "eskit-bench git-blobs (walk + read, $WORKERS worker(s))" "$esk_s" "$(awk "BEGIN{print $esk_kb/1024}")"
printf "%-52s %9s %12.1f\n" "eskit-bench git-blobs --delta-order" "$delta_s" "$(awk "BEGIN{print $delta_kb/1024}")"
sum() { sed -n 's/.*checksum=\([0-9]*\).*/\1/p' <<<"$1"; }
echo "delta-order bytes: $([ "$(sum "$summary")" = "$(sum "$delta_summary")" ] && echo "same checksum as the libgit2 read" || echo "DIFFERENT checksum")"
awk -v g="$git_s" -v e="$esk_s" -v kb="$esk_kb" 'BEGIN {
    ratio = (e > 0) ? g / e : 0
    printf "ratio (eskit throughput / git cat-file throughput): %.2fx (target >= 0.80x) %s\n", ratio, (ratio >= 0.8 ? "ok" : "MISSED")
    printf "eskit peak RSS: %.1f MB (target < 300 MB) %s\n", kb / 1024, (kb / 1024 < 300 ? "ok" : "MISSED")
}'
