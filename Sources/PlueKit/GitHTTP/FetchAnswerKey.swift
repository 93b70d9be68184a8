import Crypto
import Foundation

/// Whether a fetch's answer may be kept or taken from the fetch cache, and under which key.
public struct FetchAnswerKey: Sendable, Equatable {
    /// SHA-256 of what git's answer depends on: the repository, the client's protocol version,
    /// the request's bytes as sent (and whether they are gzip-encoded), and every ref outside
    /// refs/plue/ with HEAD. Objects are named by their contents, so two requests with one key
    /// get the same answer.
    public let digest: String
    /// Whether every id the request wants is one a visible ref points at, or a commit one
    /// reaches, now: what the pack-objects hook checks before git packs anything. A kept answer
    /// is served only then, so an answer that git gave while a ref reached more (refs that
    /// moved and came back while it answered) is never served once none does.
    public let servable: Bool
}

extension GitHTTPService.Plan {
    /// The most refs outside refs/plue/ a repository may have for its fetches to be kept: each
    /// request reads them all, on the threads every request shares.
    public static let maxRefsForFetchCache = 2000

    /// The key of a fetch `body` (as sent) that wants `wants` (`GitFetchRequest.wants`), or nil
    /// when its answer is never kept: a push, or a repository with too many refs.
    public func fetchAnswerKey(request body: [UInt8], gzip: Bool, wants: [String]) throws -> FetchAnswerKey? {
        guard service == .uploadPack else { return nil }
        let repository = try GitRepository.open(path)
        guard let state = try repository.visibleState(maxRefs: Self.maxRefsForFetchCache) else { return nil }
        var hash = SHA256()
        for field in [path, gitProtocol ?? "-", gzip ? "gzip" : "identity", String(state.lines.count)] + state.lines {
            hash.update(data: Data(field.utf8))
            hash.update(data: Data([0]))
        }
        hash.update(data: body)
        var servable = true
        for want in wants.map({ $0.lowercased() }) where !state.targets.contains(want) {
            // A commit a visible ref reaches; any other id (a tree, a blob, a tag no ref names)
            // goes to git and its hook each time.
            guard repository.isCommit(want), try repository.isReachable(want, fromAny: state.tips) else {
                servable = false
                break
            }
        }
        return FetchAnswerKey(digest: hash.finalize().withUnsafeBytes { Hex.encode($0) }, servable: servable)
    }
}
