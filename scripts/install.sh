#!/bin/sh
# Installs an eskit release archive into a prefix after checking it against the SHA256SUMS beside it.
# Usage: scripts/install.sh eskit-VERSION-linux-ARCH.tar.gz [PREFIX]   (default PREFIX: /usr/local)
#   installs PREFIX/bin/eskit, its man page, shell completions, its LICENSE and the licences of what it links
#   under PREFIX/share.
set -eu
archive=${1:?usage: install.sh eskit-VERSION-linux-ARCH.tar.gz [PREFIX]}
prefix=${2:-/usr/local}
dir=$(cd "$(dirname "$archive")" && pwd)
name=$(basename "$archive")
sums="$dir/SHA256SUMS"
[ -f "$sums" ] || { echo "install.sh: $sums not found: download it with the archive" >&2; exit 2; }
expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$sums")
[ -n "$expected" ] || { echo "install.sh: $name is not listed in $sums" >&2; exit 2; }
actual=$(sha256sum "$dir/$name" | cut -d' ' -f1)
if [ "$expected" != "$actual" ]; then
    echo "install.sh: checksum mismatch for $name (expected $expected, got $actual): not installed" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$dir/$name"
top="$work/${name%.tar.gz}"
[ -x "$top/bin/eskit" ] || { echo "install.sh: $name holds no bin/eskit" >&2; exit 2; }
mkdir -p "$prefix/bin" "$prefix/share"
install -m 0755 "$top/bin/eskit" "$prefix/bin/eskit.new"
mv -f "$prefix/bin/eskit.new" "$prefix/bin/eskit"
cp -R "$top/share/." "$prefix/share/"
mkdir -p "$prefix/share/doc/eskit"
cp -R "$top/licenses" "$top/README.md" "$top/LICENSE" "$prefix/share/doc/eskit/"
echo "installed $("$prefix/bin/eskit" version) into $prefix"
