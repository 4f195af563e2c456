#!/usr/bin/env python3
"""Accuracy of eskit and gitleaks on the labelled corpus in fixtures/accuracy/corpus.

expand CORPUS OUT      expands the recipe (secrets generated with a fixed seed) into OUT/corpus, writes OUT/labels.json
score LABELS NAME=REPORT...   prints precision and recall per tool; REPORT is eskit JSON or gitleaks JSON

A label is found when a tool reports a finding in its file whose line range (start..end) covers the label's line.
Precision counts a tool's distinct findings (file, start, end): one covering a real or default label is a true
positive, any other (placeholders, non-secrets) a false positive. Recall = labels found / labels (real + default).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "tools"))
import secretgen  # noqa: E402


def expand(corpus, out):
    gen = secretgen.Generator(4242)
    labels = []
    target_root = os.path.join(out, "corpus")
    for dirpath, dirnames, names in os.walk(corpus):
        dirnames.sort()
        for name in sorted(names):
            source = os.path.join(dirpath, name)
            rel = os.path.relpath(source, corpus)
            with open(source, encoding="utf-8") as f:
                text, found = gen.expand(f.read(), rel)
            labels.extend(found)
            target = os.path.join(target_root, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
    with open(os.path.join(out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(labels, f, indent=1)
    files = len({l["file"] for l in labels})
    kinds = {k: sum(1 for l in labels if l["label"] == k) for k in ("real", "default", "placeholder", "fake")}
    print("corpus: %d labels in %d files (%d real, %d default, %d placeholder, %d fake non-secret)" %
          (len(labels), files, kinds["real"], kinds["default"], kinds["placeholder"], kinds["fake"]))


def load_findings(path, root):
    """Distinct (file, first line, last line) of a tool's findings."""
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    data = json.loads(text) if text else []
    if isinstance(data, dict):
        items = [(x["file"], x["startLine"], x.get("endLine", x["startLine"])) for x in data.get("findings", [])]
    else:
        items = [(x["File"], x["StartLine"], x.get("EndLine", x["StartLine"])) for x in data]
    out = set()
    for file, start, end in items:
        if os.path.isabs(file):
            file = os.path.relpath(file, root)
        elif file.startswith(root.rstrip("/") + "/"):
            file = file[len(root.rstrip("/")) + 1:]
        out.add((file, int(start), max(int(start), int(end))))
    return out


def covers(finding, label):
    file, start, end = finding
    return file == label["file"] and start <= label["line"] <= end


def score(labels_path, reports, verbose):
    with open(labels_path, encoding="utf-8") as f:
        labels = json.load(f)
    root = os.path.join(os.path.dirname(os.path.abspath(labels_path)), "corpus")
    positives = [l for l in labels if l["label"] in ("real", "default")]
    placeholders = [l for l in labels if l["label"] in ("placeholder", "fake")]
    results = {}
    print("%-10s %6s %6s %6s %6s %10s %8s %9s %8s" %
          ("tool", "found", "TP", "FP", "FN", "precision", "recall", "defaults", "negat."))
    for name, path in reports:
        found = load_findings(path, root)
        tp = {f for f in found if any(covers(f, l) for l in positives)}
        fp = found - tp
        hit = [l for l in positives if any(covers(f, l) for f in found)]
        defaults = [l for l in positives if l["label"] == "default"]
        defaults_hit = [l for l in hit if l["label"] == "default"]
        placeholder_hits = [l for l in placeholders if any(covers(f, l) for f in fp)]
        precision = len(tp) / len(found) if found else 0.0
        recall = len(hit) / len(positives) if positives else 0.0
        results[name] = (precision, recall)
        print("%-10s %6d %6d %6d %6d %9.1f%% %7.1f%% %5d/%-3d %8d" %
              (name, len(found), len(tp), len(fp), len(positives) - len(hit), 100 * precision, 100 * recall,
               len(defaults_hit), len(defaults), len(placeholder_hits)))
        if verbose:
            for l in positives:
                if l not in hit:
                    print("  missed  %s:%d (%s %s)" % (l["file"], l["line"], l["label"], l["kind"]))
            for file, start, end in sorted(fp):
                print("  false   %s:%d%s" % (file, start, "" if end == start else "-%d" % end))
    if "eskit" in results and "gitleaks" in results:
        (ep, er), (gp, gr) = results["eskit"], results["gitleaks"]
        print("eskit recall %+.1f points vs gitleaks (target >= +20), precision %+.1f points (target > 0)" %
              (100 * (er - gr), 100 * (ep - gp)))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "expand":
        expand(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "score":
        verbose = os.environ.get("VERBOSE") == "1"
        score(sys.argv[2], [tuple(a.split("=", 1)) for a in sys.argv[3:]], verbose)
    else:
        sys.exit(__doc__)
