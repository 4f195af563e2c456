/// The eskit release. Bump with each release; `eskit --version` prints it.
public enum EskitVersion {
    public static let string = "0.1.0-dev"
}
