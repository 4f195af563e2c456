#!/usr/bin/env bash
# eskit generate at scale: 10,000 secrets x 3 environments (30,000 ExternalSecrets plus stores, RBAC and
# kustomizations). Prints wall time and peak memory of a first run (all files new) and a second run (all
# current), of `--check`, and of `--check` with no output on disk (every file missing: a ~47 MB diff, exit 1).
# Target: under 2 s and 300 MB each.
# Usage: bench/generate.sh [path/to/release/eskit]   (default .build/release/eskit; builds it when missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/.build/release/eskit}
secrets=${ESKIT_BENCH_SECRETS:-10000}
[ -x "$bin" ] || (cd "$root" && swift build -c release --static-swift-stdlib >/dev/null)
. "$root/bench/lib/peers.sh"
ensure_time
# A fresh folder per run; earlier runs' folders are removed only after measuring: creating files right after
# deleting tens of thousands makes ext4's inode allocator crawl (recently_deleted), which measures the disk, not eskit.
# That lasts minutes: a run started soon after another run's cleanup (or any mass deletion on the disk) shows several
# seconds of sys time in "all new"; on an idle disk, or on tmpfs, creating the files costs about 0.6 s of sys time.
mkdir -p "$root/bench/.work"
work=$(mktemp -d "$root/bench/.work/generate.XXXXXX")
cleanup() { for old in "$root"/bench/.work/generate.*; do [ "$old" = "$work" ] || rm -rf "$old"; done; }
trap cleanup EXIT

awk -v n="$secrets" 'BEGIN {
  print "apiVersion: eskit/v1alpha1"
  print "kind: Inventory"
  print "defaults: {refreshInterval: 1h, creationPolicy: Owner, deletionPolicy: Retain}"
  print "environments:"
  split("dev staging production", envs, " ")
  for (e = 1; e <= 3; e++) printf "  - {name: %s, store: vault, keyPrefix: %s}\n", envs[e], envs[e]
  print "stores:"
  print "  - name: vault"
  print "    provider:"
  print "      vault:"
  print "        server: https://vault.example.internal:8200"
  print "        path: secret"
  print "        auth: {kubernetes: {mountPath: kubernetes, role: reader, serviceAccountRef: {name: vault-reader}}}"
  print "    overrides:"
  print "      production: {provider: {vault: {server: \"https://vault.prod.example.internal:8200\"}}}"
  print "  - name: aws"
  print "    kind: ClusterSecretStore"
  print "    provider: {aws: {service: SecretsManager, region: eu-west-1}}"
  print "secrets:"
  for (i = 0; i < n; i++) {
    ns = sprintf("team-%03d", i % 200)
    printf "  - name: app-%05d\n    namespace: %s\n", i, ns
    if (i % 10 == 0) print "    store: aws"
    if (i % 7 == 0) print "    target: {template: {data: {url: \"postgres://{{ .user }}:{{ .password }}@db/app\"}}}"
    print "    data:"
    printf "      - {secretKey: user, remoteRef: {key: apps/%05d, property: user}}\n", i
    printf "      - {secretKey: password, remoteRef: {key: apps/%05d, property: password}}\n", i
    if (i % 5 == 0) printf "    overrides: {production: {refreshInterval: 30m}}\n"
  }
}' > "$work/eskit.yaml"

measure() {
  local label=$1; shift
  local start end status
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt"
  status=$?
  set -e
  end=$(date +%s.%N)
  read -r kb user sys < <(tail -1 "$work/time.txt")
  awk -v l="$label" -v s="$start" -v e="$end" -v rc="$status" -v kb="$kb" -v u="$user" -v y="$sys" \
    'BEGIN { printf "%-24s wall %6.2f s  (user %5.2f s, sys %5.2f s)  peak %6.1f MB  exit %d\n", l, e - s, u, y, kb / 1024, rc }'
}

echo "bench/generate: $secrets secrets x 3 environments, $(wc -c < "$work/eskit.yaml") byte inventory"
measure "generate (all new)" "$bin" generate -f "$work/eskit.yaml" --quiet
echo "  $(find "$work/out" -type f | wc -l) files written"
measure "generate (all current)" "$bin" generate -f "$work/eskit.yaml" --quiet
measure "generate --check" "$bin" generate --check -f "$work/eskit.yaml" --quiet
mkdir -p "$work/uncommitted" && cp "$work/eskit.yaml" "$work/uncommitted/"
measure "--check, output missing" "$bin" generate --check -f "$work/uncommitted/eskit.yaml" --quiet
echo "target: each under 2 s and 300 MB (wall time includes creating ~32,000 files on this disk)"
