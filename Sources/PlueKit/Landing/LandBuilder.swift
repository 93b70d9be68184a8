import Foundation

/// Builds what an entry would make of the target: a commit on the target's tip, or the conflicts
/// that stop it. Merges are git's own (`git merge-tree`); nothing here moves a ref.
struct LandBuilder {
    enum Outcome: Equatable {
        /// A commit descending from the tip it was built on.
        case built(String)
        /// The source is already part of the target: nothing to land.
        case contained
        case conflicted(reason: String, [LandEntry.Conflict])
    }

    let git: GitRepository
    let strategy: LandStrategy
    /// Author and committer of the commits a land writes.
    let lander: (name: String, email: String)
    /// The message given for a merge or squash commit, and for undescribed commits under rebase.
    let message: String?
    /// The message when none was given (a squash of one described commit takes that commit's).
    let defaultMessage: String
    /// The subject of a squash commit's list of squashed commits, and of a merge commit.
    let sourceLabel: String
    let target: String

    func build(head: String, onto tip: String) throws -> Outcome {
        if try git.isAncestor(head, of: tip) { return .contained }
        switch strategy {
        case .rebase: return try rebase(head, onto: tip)
        case .merge: return try merge(head, onto: tip)
        case .squash: return try squash(head, onto: tip)
        }
    }

    /// Replays each commit as `git rebase` does (a cherry-pick through merge-tree), keeping its
    /// author and change id; commits already in place are kept as they are, and commits that
    /// become empty are dropped.
    private func rebase(_ head: String, onto tip: String) throws -> Outcome {
        var current = tip
        var currentTree = try git.changeCommit(tip).tree
        for commit in try git.commitsToReplay(head: head, base: tip) {
            guard let parent = commit.parents.first else {
                throw PlueError.failed("\(sourceLabel) shares no history with \(target): commit \(commit.commit.prefix(12)) has no parent")
            }
            let message = commit.message.isEmpty ? self.message ?? defaultMessage : commit.message
            if parent == current && message == commit.message {
                current = commit.commit
                currentTree = commit.tree
                continue
            }
            let tree: String
            if parent == current {
                tree = commit.tree
            } else {
                let merged = try cherryPick(commit, parent: parent, onto: currentTree)
                guard merged.conflicts.isEmpty else {
                    let summary = commit.message.split(separator: "\n").first.map { " (\($0))" } ?? ""
                    return .conflicted(reason: "commit \(commit.commit.prefix(12))\(summary) does not apply on \(target)",
                                       merged.conflicts)
                }
                tree = merged.tree
            }
            let parentTree = try git.changeCommit(parent).tree
            if tree == currentTree && commit.tree != parentTree { continue }
            current = try git.writeCommit(tree: tree, parents: [current], author: commit.author, committer: person(),
                                          message: message, changeID: commit.changeID)
            currentTree = tree
        }
        return current == tip ? .contained : .built(current)
    }

    /// `git merge-tree` merges two commits over their merge base. A stand-in commit with the
    /// current tree and the picked commit's parent makes that parent the base: a cherry-pick.
    private func cherryPick(_ commit: GitChangeCommit, parent: String, onto tree: String) throws -> GitMergeTree.Result {
        let standIn = try git.writeCommit(tree: tree, parents: [parent], author: person(), committer: person(),
                                          message: "plue: rebase onto \(target)\n", changeID: nil)
        return try GitMergeTree.merge(standIn, commit.commit, in: git.path)
    }

    private func merge(_ head: String, onto tip: String) throws -> Outcome {
        let merged = try GitMergeTree.merge(tip, head, in: git.path)
        if let conflicted = conflicted(merged) { return conflicted }
        return .built(try git.writeCommit(tree: merged.tree, parents: [tip, head], author: person(), committer: person(),
                                          message: message ?? defaultMessage, changeID: nil))
    }

    private func squash(_ head: String, onto tip: String) throws -> Outcome {
        let merged = try GitMergeTree.merge(tip, head, in: git.path)
        if let conflicted = conflicted(merged) { return conflicted }
        if merged.tree == (try git.changeCommit(tip).tree) { return .contained }
        let described = try git.commitsToReplay(head: head, base: tip).filter { !$0.message.isEmpty }
        let text: String
        if let message {
            text = message
        } else if described.count == 1 {
            text = described[0].message
        } else {
            let summaries = described.compactMap { $0.message.split(separator: "\n").first.map { "* \($0)" } }
            text = defaultMessage + (summaries.isEmpty ? "" : "\n\n" + summaries.joined(separator: "\n"))
        }
        return .built(try git.writeCommit(tree: merged.tree, parents: [tip], author: person(), committer: person(),
                                          message: text, changeID: nil))
    }

    private func conflicted(_ merged: GitMergeTree.Result) -> Outcome? {
        guard !merged.conflicts.isEmpty else { return nil }
        return .conflicted(reason: "\(sourceLabel) conflicts with \(target)", merged.conflicts)
    }

    private func person() -> GitPerson { GitPerson(name: lander.name, email: lander.email, time: Date()) }
}
