#!/usr/bin/env bash
# `make release`: builds dist/eskit-VERSION-linux-ARCH.tar.gz and dist/SHA256SUMS.
#
# The binary links the Swift runtime and Foundation (--static-swift-stdlib), libgit2, libyaml and their
# dependencies (mbedTLS, libssh2, OpenSSL's libcrypto/libssl, http-parser, PCRE2, zlib) and libstdc++ statically:
# it needs nothing but the C library family (glibc's libc, libm, libdl, libpthread, librt and the loader), so it
# runs in a CI image or a pre-commit hook without a Swift toolchain or the build machine's libgit2.
# The archive holds bin/eskit (what hooks and CI scans run), bin/eskit-providers (the secret provider clients that
# `eskit validate` and `eskit migrate` hand over to; kept out of bin/eskit so it starts fast), eskit's own LICENSE (Apache-2.0), the licences of everything linked in, shell
# completions and a man page.
# Usage: scripts/release.sh [OUTPUT_DIR]   (default dist/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist}
cd "$root"

version=$(sed -n 's/.*public static let string = "\(.*\)".*/\1/p' Sources/EskitCore/Version.swift)
# ESKIT_COMMIT names the commit where there is no Git checkout (the container build: see Dockerfile).
if [ -n "${ESKIT_COMMIT:-}" ]; then
    commit=$ESKIT_COMMIT
else
    commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
fi
case $commit in *[!0-9a-zA-Z-]*) echo "release: ESKIT_COMMIT must be a commit id, not '$commit'" >&2; exit 2 ;; esac
arch=$(uname -m)
name="eskit-$version-linux-$arch"

# Static archives only, found first: the linker takes libX.a from this folder before libX.so elsewhere.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$arch-linux-gnu")
libdir="/usr/lib/$multiarch"
static="$root/.build/static-libs"
rm -rf "$static"
mkdir -p "$static"
for lib in git2 yaml mbedtls mbedx509 mbedcrypto http_parser ssh2 pcre2-8 z ssl crypto gcrypt gpg-error; do
    [ -f "$libdir/lib$lib.a" ] || { echo "release: $libdir/lib$lib.a is missing (install the -dev package)" >&2; exit 2; }
    ln -s "$libdir/lib$lib.a" "$static/lib$lib.a"
done
stdcxx=$(g++ -print-file-name=libstdc++.a 2>/dev/null || true)
[ -f "$stdcxx" ] && ln -s "$stdcxx" "$static/libstdc++.a"
gcc -O2 -c -o "$static/gss-unavailable.o" "$root/scripts/gss-unavailable.c"
# libgit2's mbedTLS set-up (the system CA bundle parsed at every start) waits until TLS is used: see the C file.
# The wrapper goes into a copy of libgit2.a, so the linker, which rescans one archive until nothing new resolves,
# pulls libgit2's real TLS code in for it.
gcc -O2 -c -o "$static/libgit2-lazy-tls.o" "$root/scripts/libgit2-lazy-tls.c"
rm -f "$static/libgit2.a"
cp "$libdir/libgit2.a" "$static/libgit2.a"
ar rs "$static/libgit2.a" "$static/libgit2-lazy-tls.o" 2>/dev/null
# SwiftPM asks pkg-config how to link the system libraries: these .pc files send it to the static folder first,
# with the dependencies of the static archives spelled out.
pcdir="$static/pkgconfig"
mkdir -p "$pcdir"
deps=$(pkg-config --static --libs-only-l libgit2 libssh2 | tr ' ' '\n' | grep -v '^-lgit2$' | awk '!seen[$0]++' | tr '\n' ' ')
for module in libgit2:git2 yaml-0.1:yaml zlib:z; do
    pc=${module%%:*} lib=${module##*:}
    extra=""
    [ "$pc" = libgit2 ] && extra="$deps -lgcrypt -lgpg-error -ldl -lpthread"
    printf 'Name: %s\nDescription: static %s for eskit releases\nVersion: 0\nLibs: -L%s -l%s %s\nCflags: -I/usr/include\n' \
        "$pc" "$pc" "$static" "$lib" "$extra" > "$pcdir/$pc.pc"
done
export PKG_CONFIG_PATH="$pcdir"
link=(-Xlinker "-L$static" -Xlinker "$static/gss-unavailable.o" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
for symbol in git_mbedtls_stream_global_init git_mbedtls__set_cert_location git_mbedtls_stream_new \
              git_mbedtls_stream_wrap; do
    link+=(-Xlinker "--wrap=$symbol")
done

# The commit goes into the binary for `eskit version` (the file is restored afterwards).
build_info=Sources/EskitCore/BuildInfo.swift
cp -p "$build_info" "$build_info.orig"
trap 'mv -f "$root/$build_info.orig" "$root/$build_info"' EXIT
sed -i "s/public static let commit = \".*\"/public static let commit = \"$commit\"/" "$build_info"

swift build -c release --static-swift-stdlib --product eskit "${link[@]}"
swift build -c release --static-swift-stdlib --product eskit-providers "${link[@]}"
bin="$root/.build/release/eskit"
helper="$root/.build/release/eskit-providers"

# Nothing but the C library family.
for binary in "$bin" "$helper"; do
    if ldd "$binary" | grep -vE '^\s*(linux-vdso|/lib64/ld-linux|ld-linux)' \
            | grep -vE '\s(libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so' | grep -q '=>'; then
        echo "release: $binary links more than the C library:" >&2
        ldd "$binary" >&2
        exit 2
    fi
done

# The wrap took effect (a libgit2 without mbedTLS would leave nothing to wrap, and nothing to defer).
for binary in "$bin" "$helper"; do
    # (grep reads all of nm's output: with pipefail, an early exit would fail nm with SIGPIPE)
    [ "$(nm "$binary" | grep -c ' __wrap_git_mbedtls_stream_global_init$')" = 1 ] \
        || { echo "release: $binary does not defer libgit2's TLS set-up (--wrap had no effect)" >&2; exit 2; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"; mv -f "$root/$build_info.orig" "$root/$build_info"' EXIT
pkg="$stage/$name"
mkdir -p "$pkg/bin" "$pkg/share/man/man1" "$pkg/share/bash-completion/completions" \
         "$pkg/share/zsh/site-functions" "$pkg/share/fish/vendor_completions.d" "$pkg/licenses"
cp "$bin" "$pkg/bin/eskit"
cp "$helper" "$pkg/bin/eskit-providers"
strip "$pkg/bin/eskit" "$pkg/bin/eskit-providers" 2>/dev/null || true
"$bin" --generate-completion-script bash > "$pkg/share/bash-completion/completions/eskit"
"$bin" --generate-completion-script zsh > "$pkg/share/zsh/site-functions/_eskit"
"$bin" --generate-completion-script fish > "$pkg/share/fish/vendor_completions.d/eskit.fish"
python3 "$root/scripts/manpage.py" "$bin" "$version" > "$pkg/share/man/man1/eskit.1"
cp "$root/README.md" "$root/LICENSE" "$pkg/"

# Licences of everything linked in: the Debian packages' copyright files and the Swift packages' licences.
for package in libgit2-1.5 libyaml-0-2 libmbedtls14 libmbedx509-1 libmbedcrypto7 libhttp-parser2.9 libssh2-1 \
               libpcre2-8-0 zlib1g libssl3 libgcrypt20 libgpg-error0 libstdc++6; do
    [ -f "/usr/share/doc/$package/copyright" ] && cp "/usr/share/doc/$package/copyright" "$pkg/licenses/$package.txt"
done
for checkout in "$root"/.build/checkouts/*; do
    for file in LICENSE.txt LICENSE LICENSE.md; do
        if [ -f "$checkout/$file" ]; then cp "$checkout/$file" "$pkg/licenses/swift-$(basename "$checkout").txt"; break; fi
    done
done
if [ -f /usr/share/swift/LICENSE.txt ]; then cp /usr/share/swift/LICENSE.txt "$pkg/licenses/swift.txt"; fi
swift_root=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
for file in "$swift_root/share/swift/LICENSE.txt" "$swift_root/../LICENSE.txt"; do
    [ -f "$file" ] && { cp "$file" "$pkg/licenses/swift-runtime.txt"; break; }
done

mkdir -p "$out"
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name --mtime="@${SOURCE_DATE_EPOCH:-0}" \
    -czf "$out/$name.tar.gz" "$name"
(cd "$out" && sha256sum "$name.tar.gz" > SHA256SUMS)
echo "release: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1)), $(cat "$out/SHA256SUMS")"
