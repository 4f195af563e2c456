/// What `eskit version` prints about the build. `scripts/release.sh` writes the commit in for release builds.
public enum BuildInfo {
    public static let commit = "unknown"
}
