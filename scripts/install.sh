#!/bin/sh
# Installs an eskit release archive into a prefix after checking it against the SHA256SUMS beside it.
# Usage: scripts/install.sh eskit-VERSION-linux-ARCH.tar.gz [PREFIX]   (default PREFIX: /usr/local)
#   installs PREFIX/bin/eskit and PREFIX/bin/eskit-providers (the provider clients `eskit validate` and
#   `eskit migrate` run in; they must come from one release), its man page, shell completions, its LICENSE and the licences of what it links
#   under PREFIX/share, and keeps the SHA256SUMS it verified the archive against as PREFIX/share/eskit/SHA256SUMS:
#   `eskit init --ci github|gitlab` pins the CI file's release archive (eskit-VERSION-linux-x86_64.tar.gz) by its
#   line there.
# Or: install.sh --version VERSION [PREFIX]   downloads eskit-VERSION-linux-$(uname -m).tar.gz and its SHA256SUMS
#   from the release (ESKIT_DOWNLOAD, default https://github.com/eskit-project/eskit/releases/download, then
#   /vVERSION/) with curl, then installs as above; one command from a release:
#   curl -fsSL https://raw.githubusercontent.com/eskit-project/eskit/main/scripts/install.sh | sh -s -- --version V
set -eu
usage="usage: install.sh eskit-VERSION-linux-ARCH.tar.gz [PREFIX] | install.sh --version VERSION [PREFIX]"
if [ "${1:-}" = --version ]; then
    version=${2:?$usage}
    prefix=${3:-/usr/local}
    case $version in *[!0-9A-Za-z.-]*|"") echo "install.sh: $version is not a release version" >&2; exit 2 ;; esac
    base=${ESKIT_DOWNLOAD:-https://github.com/eskit-project/eskit/releases/download}/v$version
    downloads=$(mktemp -d)
    trap 'rm -rf "$downloads"' EXIT
    archive="$downloads/eskit-$version-linux-$(uname -m).tar.gz"
    for file in "$(basename "$archive")" SHA256SUMS; do
        curl -fsSL --retry 3 -o "$downloads/$file" "$base/$file" \
            || { echo "install.sh: cannot download $base/$file" >&2; exit 2; }
    done
else
    archive=${1:?$usage}
    prefix=${2:-/usr/local}
fi
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
trap 'rm -rf "$work" ${downloads:+"$downloads"}' EXIT
tar -C "$work" -xzf "$dir/$name"
top="$work/${name%.tar.gz}"
for binary in eskit eskit-providers; do
    [ -x "$top/bin/$binary" ] || { echo "install.sh: $name holds no bin/$binary" >&2; exit 2; }
done
mkdir -p "$prefix/bin" "$prefix/share"
for binary in eskit-providers eskit; do
    install -m 0755 "$top/bin/$binary" "$prefix/bin/$binary.new"
    mv -f "$prefix/bin/$binary.new" "$prefix/bin/$binary"
done
cp -R "$top/share/." "$prefix/share/"
mkdir -p "$prefix/share/doc/eskit"
cp -R "$top/licenses" "$top/README.md" "$top/LICENSE" "$prefix/share/doc/eskit/"
mkdir -p "$prefix/share/eskit"
cp "$sums" "$prefix/share/eskit/SHA256SUMS.new"
mv -f "$prefix/share/eskit/SHA256SUMS.new" "$prefix/share/eskit/SHA256SUMS"
echo "installed $("$prefix/bin/eskit" version) into $prefix"
