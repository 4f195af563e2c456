import Foundation
import TestSupport

/// A repository with branches, a merge, a rename, a deleted and re-added file, a file changed in many commits, a
/// folder rename, a copy, an orphan branch, a commit only a tag reaches and one only `refs/pull/1/head` reaches.
struct HistoryRepository {
    let builder: GitRepoBuilder
    /// Commit ids by name: c1...c11, f1, merge, tagged, pull, o1.
    var commits: [String: String] = [:]

    init() throws {
        let b = try GitRepoBuilder()
        builder = b
        commits["c1"] = try b.commit(
            "c1",
            files: [
                "apps/web/deploy.yaml": "deploy v1\n", "apps/web/base/kustomization.yaml": "kustomization\n",
                "README.md": "readme\n", "config/old.yaml": "old config\n",
            ])
        commits["c2"] = try b.commit(
            "c2", files: ["apps/web/deploy.yaml": "deploy v2\n", "secret.yaml": "secret one\n"])
        try b.move("config/old.yaml", to: "config/new.yaml")
        commits["c3"] = try b.commit("c3 rename and delete", removing: ["README.md"])
        try b.checkout("feature", create: true)
        commits["f1"] = try b.commit("f1", files: ["feature.txt": "feature\n"])
        try b.checkout("main")
        commits["c4"] = try b.commit("c4", files: ["apps/web/deploy.yaml": "deploy v4\n"])
        commits["merge"] = try b.merge("feature", message: "merge feature")
        try b.checkout("tmp", create: true, from: commits["c2"]!)
        commits["tagged"] = try b.commit("tagged", files: ["tagged.txt": "only a tag\n"])
        try b.git(["tag", "-a", "v-only", "-m", "tag"])
        try b.checkout("pr", create: true, from: commits["c4"]!)
        commits["pull"] = try b.commit("pull", files: ["pr.txt": "pull request\n"])
        try b.updateRef("refs/pull/1/head", to: commits["pull"]!)
        try b.checkout("main")
        try b.git(["branch", "-q", "-D", "tmp", "pr"])
        commits["c5"] = try b.commit("c5", files: ["counter.txt": "1\n", "README.md": "readme\n"])
        for n in 2...5 { commits["c\(n + 4)"] = try b.commit("c\(n + 4)", files: ["counter.txt": "\(n)\n"]) }
        try b.move("apps/web", to: "apps/frontend")
        commits["c10"] = try b.commit("c10 folder rename")
        commits["c11"] = try b.commit("c11 copy", files: ["backup/secret.yaml": "secret one\n"])
        try b.git(["tag", "v1.0", commits["c2"]!])
        try b.orphan("gh-pages")
        commits["o1"] = try b.commit("o1", files: ["index.html": "page\n", "secret.yaml": "secret one\n"])
        try b.checkout("main")
    }

    var root: URL { builder.root }

    func id(_ name: String) -> String { commits[name]! }

    /// The blob ids `git rev-list --objects` lists for `revisions`, via `git cat-file --batch-check`.
    static func gitBlobs(in folder: URL, _ revisions: [String]) throws -> Set<String> {
        let objects = try run("/usr/bin/git", ["rev-list", "--objects"] + revisions, in: folder)
        let ids = objects.stdout.split(separator: "\n").map { String($0.prefix(40)) }.joined(separator: "\n")
        let types = try run(
            "/usr/bin/git", ["cat-file", "--batch-check=%(objecttype) %(objectname)"], in: folder, stdin: ids + "\n")
        return Set(
            types.stdout.split(separator: "\n").compactMap { line in
                line.hasPrefix("blob ") ? String(line.dropFirst(5)) : nil
            })
    }
}
