#!/usr/bin/env bash
# YAML parse throughput: eskit (system libyaml events -> node tree with marks) vs PyYAML's C loader
# (libyaml events -> Python objects), on the same generated ~50 MB multi-document Kubernetes manifest file.
# usage: bench/yaml.sh [path/to/eskit-bench] [size-in-MB]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release/eskit-bench}"
SIZE_MB="${2:-50}"
WORK=bench/.work
FILE="$WORK/manifests-${SIZE_MB}mb.yaml"
mkdir -p "$WORK"

if [ ! -x "$BIN" ]; then
    echo "building release eskit-bench..." >&2
    swift build -c release --static-swift-stdlib --product eskit-bench >&2
fi
if [ ! -x /usr/bin/time ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y time >&2
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    python3 -m pip install --quiet PyYAML >&2 || python3 -m pip install --quiet --break-system-packages PyYAML >&2
fi
if [ "$(python3 -c 'import yaml; print(yaml.__with_libyaml__)')" != "True" ]; then
    echo "PyYAML has no libyaml binding (yaml.CSafeLoader missing): cannot compare" >&2
    exit 2
fi

if [ ! -s "$FILE" ]; then
    echo "generating $FILE..." >&2
    python3 bench/lib/gen_yaml_stream.py "$FILE" "$SIZE_MB"
fi

measure() { # name, command...: prints "name wall-seconds cpu-seconds peak-KB"
    local name="$1"; shift
    local out
    out=$( { /usr/bin/time -f '%e %U %S %M' "$@" >/dev/null; } 2>&1 | tail -1)
    read -r wall user sys kb <<<"$out"
    echo "$name $wall $(python3 -c "print($user + $sys)") $kb"
}

BYTES=$(stat -c %s "$FILE")
echo "input: $FILE ($BYTES bytes)"
"$BIN" yaml-parse "$FILE" | sed 's/^/eskit: /'
read -r _ E_SEC E_CPU E_KB < <(measure eskit "$BIN" yaml-parse "$FILE")
read -r _ P_SEC P_CPU P_KB < <(measure pyyaml python3 -c '
import sys, yaml
with open(sys.argv[1], "rb") as f:
    docs = list(yaml.load_all(f, Loader=yaml.CSafeLoader))
print(len(docs))' "$FILE")

python3 - "$BYTES" "$E_SEC" "$E_CPU" "$E_KB" "$P_SEC" "$P_CPU" "$P_KB" <<'PY'
import sys
b = int(sys.argv[1])
es, ec, ek, ps, pc, pk = map(float, sys.argv[2:])
mb = b / 1e6
print(f"{'tool (whole process)':<26}{'wall s':>8}{'cpu s':>8}{'MB/s':>8}{'peak MB':>9}")
print(f"{'eskit yaml-parse':<26}{es:>8.2f}{ec:>8.2f}{mb / max(es, 1e-9):>8.1f}{ek / 1024:>9.0f}")
print(f"{'PyYAML CSafeLoader':<26}{ps:>8.2f}{pc:>8.2f}{mb / max(ps, 1e-9):>8.1f}{pk / 1024:>9.0f}")
print(f"ratio wall (PyYAML / eskit): {ps / max(es, 1e-9):.2f}x   cpu: {pc / max(ec, 1e-9):.2f}x   (> 1: eskit faster)")
print(f"ratio peak memory (eskit / PyYAML): {ek / max(pk, 1):.2f}x")
PY
