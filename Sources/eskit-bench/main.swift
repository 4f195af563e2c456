// eskit-bench: measurement entry points for the scripts under bench/ (not a user command).
// Each subcommand lives in its own file and reads its own arguments.
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: eskit-bench yaml-parse FILE...        parse every document, print bytes and node counts
           eskit-bench git-blobs REPO [--workers N]   read every distinct blob of the history once
           eskit-bench scan-files [--repeat N] [--threads N] FILE|DIR...   scan files in memory, print MB/s
    """
guard let verb = arguments.first else {
    print(usage)
    exit(2)
}
let rest = Array(arguments.dropFirst())
switch verb {
case "yaml-parse": exit(benchYAMLParse(rest))
case "git-blobs": exit(benchGitBlobs(rest))
case "scan-files": exit(benchScanFiles(rest))
default:
    print(usage)
    exit(2)
}
