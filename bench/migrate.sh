#!/usr/bin/env bash
# `eskit migrate plan` + `apply` (without --push) for 2,000 plaintext values in 500 files (target under 2 s), best
# of $RUNS, beside the time `eskit scan` alone takes on the same files (the plan's floor: it scans first). `apply`
# declares the 1,000 ExternalSecrets in the inventory and runs generate; `apply --in-place` (timed on a copy)
# writes them beside the manifests instead.
# Usage: bench/migrate.sh [ESKIT_BINARY]   (default .build/release/eskit). Environment: FILES (500), RUNS (3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build/release/eskit}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "migrate.sh: eskit binary not found at $bin (make release)" >&2; exit 2; }
# `eskit migrate` runs in eskit-providers, beside eskit.
[ -x "$(dirname "$bin")/eskit-providers" ] || { echo "migrate.sh: eskit-providers not found beside $bin (make release)" >&2; exit 2; }
FILES="${FILES:-500}"; RUNS="${RUNS:-3}"
work="$root/bench/.work/migrate-$FILES"
rm -rf "$work"; mkdir -p "$work/template"
python3 - "$work/template" "$FILES" <<'PY'
import base64, hashlib, os, sys
root, files = sys.argv[1], int(sys.argv[2])
def value(i, k):  # a deterministic random-looking value per key (not a real credential)
    return "Zx9" + hashlib.sha256(f"bench-{i}-{k}".encode()).hexdigest()[:18]
open(os.path.join(root, "eskit.yaml"), "w").write("""apiVersion: eskit/v1alpha1
kind: Inventory
environments:
  - name: prod
    store: vault
    keyPrefix: prod
stores:
  - name: vault
    kind: ClusterSecretStore
    provider:
      vault:
        server: https://vault.example.org
        path: secret
        auth:
          kubernetes: {mountPath: kubernetes, role: eso}
secrets: []
""")
for f in range(files):
    d = os.path.join(root, "apps", f"app{f // 10:03d}")
    os.makedirs(d, exist_ok=True)
    docs = []
    for s in range(2):
        i = f * 2 + s
        docs.append(f"""apiVersion: v1
kind: Secret
metadata:
  name: app-{i}
  namespace: ns-{f // 10}
type: Opaque
data:
  password: {base64.b64encode(value(i, 'password').encode()).decode()}
  api-token: {base64.b64encode(value(i, 'token').encode()).decode()}
""")
    open(os.path.join(d, f"secrets-{f:04d}.yaml"), "w").write("---\n".join(docs))
PY
best() { sort -n | head -1; }
plan_t=(); apply_t=(); scan_t=(); inplace_t=()
for _ in $(seq "$RUNS"); do
    rm -rf "$work/repo"; cp -r "$work/template" "$work/repo"
    cd "$work/repo"
    git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@example.org commit -q -m base
    s=$(date +%s.%N); "$bin" scan --no-progress . >/dev/null 2>&1 || true; e=$(date +%s.%N); scan_t+=("$(echo "$e - $s" | bc)")
    s=$(date +%s.%N); "$bin" migrate plan -o plan.yaml 2>"$work/plan.log"; e=$(date +%s.%N); plan_t+=("$(echo "$e - $s" | bc)")
    rm -rf "$work/inplace"; cp -r "$work/template" "$work/inplace"; cp plan.yaml "$work/inplace/"
    s=$(date +%s.%N); "$bin" migrate apply plan.yaml 2>"$work/apply.log"; e=$(date +%s.%N); apply_t+=("$(echo "$e - $s" | bc)")
    cd "$work/inplace"
    s=$(date +%s.%N); "$bin" migrate apply --in-place plan.yaml 2>"$work/inplace.log"; e=$(date +%s.%N)
    inplace_t+=("$(echo "$e - $s" | bc)")
    cd "$root"
done
plan=$(printf '%s\n' "${plan_t[@]}" | best); apply=$(printf '%s\n' "${apply_t[@]}" | best); scan=$(printf '%s\n' "${scan_t[@]}" | best)
inplace=$(printf '%s\n' "${inplace_t[@]}" | best)
values=$(grep -c "secretHash" "$work/repo/plan.yaml")
left=$(cd "$work/repo" && "$bin" scan --no-progress . 2>/dev/null | tail -1)
python3 - "$plan" "$apply" "$scan" "$values" "$FILES" "$left" "$(tail -1 "$work/plan.log")" "$inplace" \
    "$(sed -n '/^secrets:/,$p' "$work/repo/eskit.yaml" | grep -c '^  - name:')" <<'PY'
import sys
plan, apply, scan = map(float, sys.argv[1:4])
inplace = float(sys.argv[8])
print(f"eskit migrate: {sys.argv[4]} values in {sys.argv[5]} files: plan {plan:.2f} s + apply {apply:.2f} s = "
      f"{plan + apply:.2f} s (target < 2 s; {sys.argv[9]} inventory entries, generate included)")
print(f"  apply --in-place: {inplace:.2f} s -> plan + apply = {plan + inplace:.2f} s")
print(f"  eskit scan alone on the same files: {scan:.2f} s -> plan + apply = {(plan + apply) / scan:.1f}x a scan")
print(f"  {sys.argv[7].replace('eskit: ', '')}")
print(f"  after apply, eskit scan: {sys.argv[6]}")
PY
