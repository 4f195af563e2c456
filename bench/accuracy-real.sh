#!/usr/bin/env bash
# Accuracy of eskit and gitleaks on real home-lab GitOps repositories: the Git bundles of $CORPUS (default
# /work/shared/corpus, see its README for licences) scanned in full history, scored against the labels in
# bench/truth/<repo>.tsv (SHA-256 of each value, 3-character preview, class real / default / placeholder /
# not-a-secret, credential id, file and first commit; never a value).
#
# Per repository and tool: recall of real + default credentials (a credential counts as found when any of its
# forms is reported: the decoded Secret value, its base64, a PEM and its base64), distinct false positives
# (distinct values reported that are labelled not-a-secret or not labelled at all) and placeholders flagged.
# VERBOSE=1 lists misses and false positives (hash prefix, preview, file). No value is printed or kept: gitleaks
# runs without --redact only so that its matches can be hashed, and its report is deleted once hashed.
#
# Usage: bench/accuracy-real.sh [ESKIT_BINARY] [REPO...]   (default .build/release/eskit, every labelled repo)
# RECORD=1 (all repositories) also writes bench/truth/precision.tsv, the per-rule table docs/detectors.md shows
# (regenerate it with `ESKIT_RECORD=1 swift test --filter DetectorCatalogTests`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/.build/release/eskit}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
shift || true
[ -x "$bin" ] || { echo "accuracy-real: eskit binary not found at $bin" >&2; exit 2; }
. "$root/bench/lib/peers.sh"
CORPUS="${CORPUS:-/work/shared/corpus}"
work="$root/bench/.work/real"
mkdir -p "$work"
gitleaks_bin="$(find_gitleaks || true)"
[ -n "$gitleaks_bin" ] || echo "accuracy-real: gitleaks unavailable; scoring eskit only" >&2

repos=("$@")
if [ "${#repos[@]}" -eq 0 ]; then
    for t in "$root"/bench/truth/*.tsv; do
        [ "$(basename "$t")" = precision.tsv ] || repos+=("$(basename "$t" .tsv)")
    done
fi
scores=()
for repo in "${repos[@]}"; do
    truth="$root/bench/truth/$repo.tsv"
    [ -f "$truth" ] || { echo "accuracy-real: no labels for $repo" >&2; exit 2; }
    git_dir="$work/$repo.git"
    if [ ! -d "$git_dir" ]; then
        bundle=""
        for b in "$CORPUS"/*.bundle; do
            [ "$(basename "$b" .bundle | tr 'A-Z+' 'a-z-')" = "$repo" ] && { bundle="$b"; break; }
        done
        [ -n "$bundle" ] || { echo "accuracy-real: no bundle for $repo in $CORPUS" >&2; exit 2; }
        git clone -q --mirror "$bundle" "$git_dir"
    fi
    status=0
    "$bin" scan --history --no-progress --format json --output "$work/$repo.eskit.json" "$git_dir" >/dev/null 2>"$work/$repo.eskit.log" || status=$?
    [ "$status" -le 1 ] || { echo "accuracy-real: eskit failed on $repo (exit $status)" >&2; exit 2; }
    if [ -n "$gitleaks_bin" ]; then
        raw="$(mktemp "$work/gitleaks.XXXXXX")"
        status=0
        "$gitleaks_bin" git --no-banner --log-level error --report-format json --report-path "$raw" "$git_dir" \
            >/dev/null 2>&1 || status=$?
        [ "$status" -le 1 ] || { rm -f "$raw"; echo "accuracy-real: gitleaks failed on $repo (exit $status)" >&2; exit 2; }
        # Keep the hashes of every form of each match (as found, unquoted, base64-decoded), never the match.
        python3 - "$raw" "$work/$repo.gitleaks.hashes" <<'PY'
import base64, binascii, hashlib, json, sys
out = []
for f in json.load(open(sys.argv[1])):
    s = f["Secret"]
    forms = {s.encode(), s.strip("'\"").encode()}
    for v in list(forms):
        try:
            d = base64.b64decode(v, validate=True)
            forms |= {d, d.rstrip(b"\n"), d + b"\n"}
        except (binascii.Error, ValueError):
            pass
    out.append({"rule": f["RuleID"], "file": f["File"],
                "hashes": sorted(hashlib.sha256(v).hexdigest() for v in forms if v)})
json.dump(out, open(sys.argv[2], "w"))
PY
        rm -f "$raw"
    fi
    scores+=("$repo")
done

python3 - "$root/bench/truth" "$work" "${VERBOSE:-0}" "${RECORD:-0}" "${scores[@]}" <<'PY'
import json, os, sys
truth_dir, work, verbose, record, repos = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4] == "1", sys.argv[5:]
def labels(repo):
    rows = {}
    for line in open(os.path.join(truth_dir, repo + ".tsv")):
        if line.startswith("#") or not line.strip():
            continue
        h, preview, cls, ident, path, commit, note = line.rstrip("\n").split("\t")
        rows[h] = (cls, ident, preview, path)
    return rows
def findings(repo, tool):
    path = os.path.join(work, f"{repo}.{tool}.json" if tool == "eskit" else f"{repo}.gitleaks.hashes")
    if not os.path.exists(path):
        return None
    if tool == "eskit":
        return [(f["ruleID"], f["file"], [f["secretHash"]]) for f in json.load(open(path))["findings"]]
    return [(f["rule"], f["file"], f["hashes"]) for f in json.load(open(path))]
def score(repo, tool, rows, per_rule):
    fs = findings(repo, tool)
    if fs is None:
        return None
    wanted = {i for c, i, _, _ in rows.values() if c in ("real", "default")}
    found, fps, placeholders = set(), {}, set()
    for rule, path, hashes in fs:
        hit = next((rows[h] for h in hashes if h in rows), None)
        good = hit is not None and hit[0] in ("real", "default")
        if tool == "eskit":
            per_rule.setdefault(rule, [0, 0])[0 if good else 1] += 1
        if hit is None:
            fps.setdefault(hashes[0], ("unlabelled", "?", "", path))
        elif good:
            found.add(hit[1])
        elif hit[0] == "placeholder":
            placeholders.add(hit[1])
        else:
            fps.setdefault(hit[1], hit)
    if verbose:
        for i in sorted(wanted - found):
            c, _, pv, p = next(r for r in rows.values() if r[1] == i)
            print(f"  {repo} {tool} MISS {c} {i[:12]} {pv}… {p}")
        for k, (c, i, pv, p) in fps.items():
            print(f"  {repo} {tool} FP {c} {k[:12]} {pv}… {p}")
        for i in placeholders:
            print(f"  {repo} {tool} PLACEHOLDER {i[:12]}")
    return len(found), len(wanted), len(fps), len(placeholders)
print(f"\n{'repository':<26} {'creds':>5} | {'eskit recall':>14} {'FP':>4} {'ph':>3} | {'gitleaks recall':>15} {'FP':>4} {'ph':>3}")
totals = {"eskit": [0, 0, 0, 0], "gitleaks": [0, 0, 0, 0]}
per_rule = {}
have_gitleaks = False
for repo in repos:
    rows = labels(repo)
    cells = []
    for tool in ("eskit", "gitleaks"):
        s = score(repo, tool, rows, per_rule)
        if s is None:
            cells.append(f"{'-':>14} {'-':>4} {'-':>3}" if tool == "eskit" else f"{'-':>15} {'-':>4} {'-':>3}")
            continue
        have_gitleaks |= tool == "gitleaks"
        totals[tool] = [a + b for a, b in zip(totals[tool], s)]
        f, w, fp, ph = s
        pct = f"{f}/{w} {100 * f / w:5.1f}%" if w else "-"
        cells.append(f"{pct:>14} {fp:>4} {ph:>3}" if tool == "eskit" else f"{pct:>15} {fp:>4} {ph:>3}")
    wanted = len({i for c, i, _, _ in rows.values() if c in ("real", "default")})
    print(f"{repo:<26} {wanted:>5} | {cells[0]} | {cells[1]}")
n = len(repos)
def total(tool, width):
    f, w, fp, ph = totals[tool]
    pct = f"{f}/{w} {100 * f / w:5.1f}%" if w else "-"
    return f"{pct:>{width}} {fp:>4} {ph:>3}"
print(f"{'total':<26} {totals['eskit'][1]:>5} | {total('eskit', 14)} | "
      + (total("gitleaks", 15) if have_gitleaks else "-"))
print(f"distinct false positives per repository: eskit {totals['eskit'][2] / n:.2f}"
      + (f", gitleaks {totals['gitleaks'][2] / n:.2f}" if have_gitleaks else ""))
print("\neskit findings by rule (true = a real or default credential; false = anything else):")
for rule in sorted(per_rule):
    t, f = per_rule[rule]
    print(f"  {rule:<32} {t:>4} true {f:>4} false  precision {100 * t / (t + f):5.1f}%")
if record:
    with open(os.path.join(truth_dir, "precision.tsv"), "w") as out:
        e, g = totals["eskit"], totals["gitleaks"]
        out.write(f"# repositories\t{n}\n# credentials\t{e[1]}\n# eskit found\t{e[0]}\n"
                  f"# eskit distinct false positives\t{e[2]}\n# eskit placeholders flagged\t{e[3]}\n")
        if have_gitleaks:
            out.write(f"# gitleaks found\t{g[0]}\n# gitleaks distinct false positives\t{g[2]}\n"
                      f"# gitleaks placeholders flagged\t{g[3]}\n")
        out.write("# rule\ttrue\tfalse\n")
        for rule in sorted(per_rule):
            out.write(f"{rule}\t{per_rule[rule][0]}\t{per_rule[rule][1]}\n")
PY
