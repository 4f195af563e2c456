#!/usr/bin/env bash
# libFuzzer runs of eskit's parsers of untrusted input (docs/reliability.md, "Fuzzing"): the targets of the
# separate package bench/fuzz/ (it depends on the main package by path, so the main build never sees the flags),
# built with libFuzzer + AddressSanitizer and run one after another for a set number of inputs each.
#
# Usage: bench/fuzz.sh [TARGET...]      TARGET: yaml inventory scan pack (default: all four, in that order)
# Environment:
#   RUNS      inputs per target (default 1000000)
#   TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#   RSS_MB    memory limit in MB (default 2048)
#   MAX_LEN   longest input in bytes (default per target: yaml 8192, inventory 8192, scan 16384, pack 65536)
#   JOBS      build jobs (default 2)
#   SANITIZERS  -sanitize= list (default fuzzer,address; swiftc 6.3 on Linux refuses `undefined`: "unsupported
#               option '-sanitize=undefined' for target 'x86_64-unknown-linux-gnu'")
#   NO_BUILD=1  reuse the last build
#
# Flags that work with Swift 6.3 on Linux: `swift build -c release -Xswiftc -sanitize=fuzzer,address
# -Xswiftc -enable-testing -Xswiftc -parse-as-library`. The flags reach every Swift module of the build (the eskit
# libraries are instrumented for coverage and AddressSanitizer too); libyaml, libgit2 and zlib are the system's
# (not instrumented). -enable-testing lets the pack target `@testable import EskitGit` (its pack reader is
# internal). -O keeps Swift's overflow, bounds and precondition checks, which trap like a sanitizer report, and
# runs 5-6 times faster than a debug build here (YAML: about 2,000 inputs/s against 330). A debug build
# (`-c debug`) works too, but SwiftPM links a debug executable with `--defsym main=<Target>_main`, so libFuzzer's
# own `main` cannot be the entry point: each target's `@main` calls `LLVMFuzzerRunDriver` (FuzzDriver.swift) and
# also exports `LLVMFuzzerTestOneInput` through `@_cdecl`, so either way works.
# SWIFT_BACKTRACE=enable=no: Swift's crash backtracer would otherwise take over the trap (and crash under ASan)
# before libFuzzer can save the input.
#
# Seeds come from fixtures/ (YAML, inventories, scan corpus, manifests) and, for the pack target, from small
# repositories built with git here, packed the ways the pack tests cover (offset and reference deltas, deep chains,
# index version 1, 64-bit offsets). Corpora, seeds, logs and crash artifacts stay in bench/.work/fuzz/ (ignored by
# git); a crash's input is kept there as crash-<sha1> (it may look like a secret: never commit it as is).
# Prints per target: inputs run, executions per second, crashes; exits 1 when a target crashed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/bench/.work/fuzz"
package="$root/bench/fuzz"
RUNS="${RUNS:-1000000}"
TIMEOUT="${TIMEOUT:-10}"
RSS_MB="${RSS_MB:-2048}"
JOBS="${JOBS:-2}"
SANITIZERS="${SANITIZERS:-fuzzer,address}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml inventory scan pack)
mkdir -p "$work"

product() {
    case "$1" in
    yaml) echo FuzzYAML ;;
    inventory) echo FuzzInventory ;;
    scan) echo FuzzScan ;;
    pack) echo FuzzPack ;;
    *) echo "fuzz.sh: unknown target $1 (yaml inventory scan pack)" >&2; exit 2 ;;
    esac
}

max_len() {
    if [ -n "${MAX_LEN:-}" ]; then echo "$MAX_LEN"; return; fi
    case "$1" in yaml | inventory) echo 8192 ;; scan) echo 16384 ;; pack) echo 65536 ;; esac
}

if [ "${NO_BUILD:-}" != 1 ]; then
    echo "fuzz.sh: building ${targets[*]} with -sanitize=$SANITIZERS" >&2
    for t in "${targets[@]}"; do
        swift build -c release --package-path "$package" -j "$JOBS" --product "$(product "$t")" \
            -Xswiftc "-sanitize=$SANITIZERS" -Xswiftc -enable-testing -Xswiftc -parse-as-library \
            >"$work/build-$t.log" 2>&1 || {
            tail -30 "$work/build-$t.log" >&2
            echo "fuzz.sh: build of $t failed (log: $work/build-$t.log)" >&2
            exit 2
        }
    done
fi
bin="$(swift build -c release --package-path "$package" --show-bin-path)"

# seed_files DIR PATTERN FOLDER...: copies the files matching PATTERN under each FOLDER of fixtures/ into DIR.
seed_files() {
    local dir="$1" pattern="$2"
    shift 2
    mkdir -p "$dir"
    for folder in "$@"; do
        [ -d "$root/fixtures/$folder" ] || continue
        find "$root/fixtures/$folder" -type f -name "$pattern" -size -64k -print0 |
            while IFS= read -r -d '' f; do cp "$f" "$dir/$(printf '%s' "${f#"$root"/}" | tr '/' '_')"; done
    done
}

# pack_seed OUT STEM: the pack target's input for STEM.idx + STEM.pack (flags 0: both files as git wrote them).
pack_seed() {
    python3 - "$1" "$2" <<'EOF'
import struct, sys
out, stem = sys.argv[1], sys.argv[2]
idx = open(stem + ".idx", "rb").read()
pack = open(stem + ".pack", "rb").read()
open(out, "wb").write(b"\0" + struct.pack(">I", len(idx)) + idx + pack)
EOF
}

# Small repositories packed the ways the pack reader meets them; one seed per packing (rebuilt each run: the
# commits carry the current time, so the bytes differ, which does no harm).
pack_seeds() {
    local dir="$1" repo="$work/pack-repo"
    mkdir -p "$dir"
    rm -rf "$repo"
    git init -q "$repo"
    local i
    for i in $(seq 1 12); do
        mkdir -p "$repo/deploy"
        {
            echo "apiVersion: v1"
            echo "kind: ConfigMap"
            echo "metadata: {name: app, namespace: team-$((i % 3))}"
            echo "data:"
            seq 1 $((20 + i * 3)) | sed "s/.*/  key&: value&/"; echo "  version: \"$i\""
        } >"$repo/deploy/app.yaml"
        printf 'replicas: %d\nimage: registry.example/app:%d\n' "$i" "$i" >"$repo/values.yaml"
        git -C "$repo" add -A
        git -C "$repo" -c user.name=fuzz -c user.email=fuzz@example.invalid commit -qm "version $i"
    done
    git -C "$repo" tag -a v1 -m "release" >/dev/null
    local packing stem
    for packing in offset reference deep idx1 large; do
        case "$packing" in
        offset) git -C "$repo" repack -adfq ;;
        reference) git -C "$repo" -c repack.useDeltaBaseOffset=false repack -adfq ;;
        deep) git -C "$repo" repack -adfq --depth=200 --window=50 ;;
        idx1 | large) git -C "$repo" repack -adfq ;;
        esac
        stem="$(ls "$repo"/.git/objects/pack/*.pack)"
        stem="${stem%.pack}"
        case "$packing" in
        idx1) git -C "$repo" index-pack --index-version=1 -o "$stem.idx.new" "$stem.pack" >/dev/null ;;
        large) git -C "$repo" index-pack --index-version=2,0x100 -o "$stem.idx.new" "$stem.pack" >/dev/null ;;
        *) cp "$stem.idx" "$stem.idx.new" ;;
        esac
        chmod u+w "$stem.idx"
        mv "$stem.idx.new" "$stem.idx"
        pack_seed "$dir/$packing" "$stem"
    done
    # One input of the entries form (flag bit 7; FuzzPack.swift, `assemble`): a blob, offset and reference deltas
    # of it, a commit, a tree, and a delta against the wrong base.
    python3 - "$dir/entries" <<'EOF'
import sys
out = sys.argv[1]
def varint(n):
    b = []
    while True:
        c = n & 0x7F; n >>= 7
        if n: b.append(c | 0x80)
        else: b.append(c); return bytes(b)
def entry(kind, data, base=None):
    assert len(data) < 256
    e = bytes([kind, len(data)]) + data
    return e + (bytes([base]) if base is not None else b"")
base = b"apiVersion: v1\nkind: ConfigMap\ndata:\n  key1: value1\n  key2: value2\n"
result = base[:40] + b"  changed: yes\n" + base[40:]
delta = varint(len(base)) + varint(len(result)) + bytes([0x91, 0, 40]) + bytes([15]) + b"  changed: yes\n" + bytes([0x91, 40, len(base) - 40])
commit = (b"tree " + b"0" * 40 + b"\nauthor A <a@example.invalid> 1700000000 +0000\n"
          + b"committer A <a@example.invalid> 1700000000 +0000\n\nsubject\n")
tree = b"100644 a.yaml\0" + b"\x5a" * 20
seed = bytes([0x80]) + entry(3, base) + entry(6, delta, 0) + entry(7, delta, 0) + entry(1, commit) + entry(2, tree) + entry(6, delta, 1)
open(out, "wb").write(seed)
EOF
}

seeds() {
    local t="$1" dir="$work/seeds/$1"
    rm -rf "$dir"
    case "$t" in
    yaml) seed_files "$dir" '*.y*ml' yaml eso manifests lint accuracy/corpus/k8s accuracy/corpus/helm ;;
    inventory) seed_files "$dir" '*.y*ml' inventory demo ;;
    scan) seed_files "$dir" '*' accuracy/corpus yaml eso ;;
    pack) pack_seeds "$dir" ;;
    esac
    echo "$dir"
}

status=0
summary=()
for t in "${targets[@]}"; do
    exe="$bin/$(product "$t")"
    [ -x "$exe" ] || { echo "fuzz.sh: $exe not built" >&2; exit 2; }
    seed_dir="$(seeds "$t")"
    corpus="$work/corpus/$t"
    artifacts="$work/crashes/$t"
    mkdir -p "$corpus" "$artifacts"
    log="$work/run-$t.log"
    echo "fuzz.sh: $t: $RUNS inputs (max_len $(max_len "$t"), timeout ${TIMEOUT}s, rss ${RSS_MB} MB), log $log" >&2
    before="$(find "$artifacts" -type f | wc -l)"
    set +e
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$exe" \
        -runs="$RUNS" -max_len="$(max_len "$t")" -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seed_dir" >"$log" 2>&1
    rc=$?
    set -e
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    crashes=$(($(find "$artifacts" -type f | wc -l) - before))
    line="$t: ${runs:-?} inputs, ${speed:-?} exec/s, sanitizers $SANITIZERS, crashes $crashes"
    if [ "$rc" -ne 0 ]; then
        line="$line (exit $rc; see $log and $artifacts)"
        status=1
    fi
    echo "$line"
    summary+=("$line")
done
echo "---" >&2
printf '%s\n' "${summary[@]}" >&2
exit "$status"
