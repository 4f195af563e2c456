#!/usr/bin/env python3
"""Splits single-line string literals that run past the line limit into `"..." +` continuation lines, at word
boundaries outside interpolations (a helper for `make format`; swift-format does not break string literals).
Usage: scripts/split-long-strings.py LIMIT FILE...
"""
import sys

limit = int(sys.argv[1])


def literals(line):
    """(start, end) of each plain single-line string literal: `"` .. `"`, end exclusive."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith('"""', i) or (c == '#' and i + 1 < n and line[i + 1] == '"'):
            return None  # multi-line or raw strings: leave the line alone
        if line.startswith("//", i):
            break
        if c == '"':
            j, depth = i + 1, 0
            while j < n:
                if line[j] == "\\" and j + 1 < n and line[j + 1] == "(" and depth == 0:
                    depth = 1
                    j += 2
                    continue
                if depth > 0:
                    if line[j] == "(":
                        depth += 1
                    elif line[j] == ")":
                        depth -= 1
                    elif line[j] == '"':
                        # a nested literal inside an interpolation: skip it
                        k = j + 1
                        while k < n and line[k] != '"':
                            k += 2 if line[k] == "\\" else 1
                        j = k
                    j += 1
                    continue
                if line[j] == "\\":
                    j += 2
                    continue
                if line[j] == '"':
                    break
                j += 1
            if j >= n:
                return None
            out.append((i, j + 1))
            i = j + 1
            continue
        i += 1
    return out


def split_points(line, start, end, anywhere=False):
    """Indexes of spaces (or, with `anywhere`, of any character) inside the literal where it can be cut: outside
    interpolations and escapes."""
    points, j, depth = [], start + 1, 0
    while j < end - 1:
        if line[j] == "\\" and line[j + 1] == "(" and depth == 0:
            depth, j = 1, j + 2
            continue
        if depth > 0:
            if line[j] == "(":
                depth += 1
            elif line[j] == ")":
                depth -= 1
            j += 1
            continue
        if line[j] == "\\":
            if anywhere:
                points.append(j - 1)
            j += 2
            continue
        if line[j] == " " or anywhere:
            points.append(j)
        j += 1
    return points


def fix(line):
    out = []
    while len(line) > limit:
        spans = literals(line)
        if not spans:
            break
        indent = len(line) - len(line.lstrip(" "))
        done = False
        for start, end in spans:
            if end <= limit - 2 and start < limit:
                continue
            cands = [p for p in split_points(line, start, end) if p + 1 <= limit - 3 and p > start + 1]
            if not cands:
                cands = [p for p in split_points(line, start, end, anywhere=True)
                         if p + 1 <= limit - 3 and p > start + 1]
            if not cands:
                continue
            p = max(cands)
            head = line[: p + 1] + '" +'
            tail = " " * (indent + 4) + '"' + line[p + 1 :]
            if len(tail) >= len(line):
                continue
            out.append(head)
            line = tail
            done = True
            break
        if not done:
            break
    out.append(line)
    return out


for path in sys.argv[2:]:
    with open(path) as f:
        lines = f.read().split("\n")
    new = []
    in_multiline = False
    for line in lines:
        # Lines inside a multi-line string literal are text, not code: never split them.
        toggles = line.count('"""') % 2 == 1
        if in_multiline or '"""' in line:
            new.append(line)
        else:
            new.extend(fix(line) if len(line) > limit else [line])
        if toggles:
            in_multiline = not in_multiline
    if new != lines:
        with open(path, "w") as f:
            f.write("\n".join(new))
