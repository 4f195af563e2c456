#!/usr/bin/env python3
"""Writes eskit(1) in roff from the binary's own help texts (so the man page never drifts from --help).
Usage: scripts/manpage.py ESKIT_BINARY VERSION > eskit.1
"""
import re
import subprocess
import sys

binary, version = sys.argv[1], sys.argv[2]


def help_text(*args):
    env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
    return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, env=env, check=True).stdout


def roff(text):
    out = []
    for line in text.rstrip("\n").split("\n"):
        line = line.replace("\\", "\\\\").replace("-", "\\-")
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        out.append(line)
    return "\n".join(out)


top = help_text()
commands = []
in_sub = False
for line in top.split("\n"):
    if line.startswith("SUBCOMMANDS:"):
        in_sub = True
        continue
    if in_sub:
        m = re.match(r"^  ([a-z][a-z-]*)\s", line)
        if m and m.group(1) != "help":
            commands.append(m.group(1))
        elif line and not line.startswith(" "):
            in_sub = False

print(f'.TH ESKIT 1 "" "eskit {version}" "User Commands"')
print(".SH NAME")
print("eskit \\- from plaintext secrets in a GitOps repository to External Secrets")
print(".SH SYNOPSIS")
print(".B eskit")
print("\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]")
print(".SH DESCRIPTION")
print(".nf")
print(roff(top))
print(".fi")
for command in commands:
    print(f".SH eskit {command.upper()}")
    print(".nf")
    print(roff(help_text(command)))
    print(".fi")
print(".SH EXIT STATUS")
print("0 clean / current / found; 1 findings, stale output or unresolved references; 2 usage, configuration,")
print("input or connectivity errors, and incomplete scans.")
