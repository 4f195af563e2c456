/// The pre-commit hook `eskit install-hook` writes: the same bytes as `hooks/pre-commit` (a test keeps them equal).
enum PreCommitHook {
    /// The marker line that identifies a hook eskit installed (a hook without it is foreign).
    static let marker = "eskit-pre-commit-hook"

    static let script = """
        #!/bin/sh
        # eskit-pre-commit-hook v3 (installed by `eskit install-hook`; do not edit this marker line)
        # Blocks a commit whose staged changes add plaintext secrets or ESO manifests with errors, or leave the \
        generated output stale (`eskit check --staged`; `git commit -a` and `git commit <paths>` included).
        # Exit codes pass through from eskit: 0 clean, 1 problems found (commit blocked), 2 error (commit stopped).
        # Skip once with `git commit --no-verify`.
        eskit_bin="${ESKIT:-eskit}"
        if ! command -v "$eskit_bin" >/dev/null 2>&1; then
            echo "eskit pre-commit hook: '$eskit_bin' was not found on PATH." >&2
            echo "Install eskit, or set ESKIT=/path/to/eskit, or skip this check once with \
        'git commit --no-verify'." >&2
            exit 2
        fi
        "$eskit_bin" check --staged
        status=$?
        if [ "$status" -eq 1 ]; then
            echo "eskit: commit blocked: the staged changes add secrets, break ESO manifests or leave generated \
        output stale (see above)." >&2
            echo "Move each value to your secret store and reference it (ExternalSecret, secretKeyRef), fix the lint \
        errors (eskit lint --fix does the safe ones), run eskit generate, then stage again." >&2
            echo "A false positive: add an 'eskit:allow' comment on its line, or put its fingerprint" >&2
            echo "(eskit scan --staged --format json) in .eskitignore." >&2
        elif [ "$status" -ne 0 ]; then
            echo "eskit: the pre-commit check failed (exit $status, see above), so the commit was stopped." >&2
            echo "Fix the error, or skip this check once with 'git commit --no-verify'." >&2
        fi
        exit "$status"

        """
}
