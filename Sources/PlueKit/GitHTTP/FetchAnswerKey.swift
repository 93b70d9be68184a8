import Crypto
import Foundation

extension GitHTTPService.Plan {
    /// What `git upload-pack --stateless-rpc` answers to one POST depends on, as a SHA-256: the
    /// repository, the client's protocol version, the request's bytes as sent (and whether they are
    /// gzip-encoded), and every ref outside refs/plue/ with HEAD. Objects are named by their
    /// contents, so two requests with one key get the same answer, and the pack-objects hook's
    /// check (every want reached by a visible ref) passes for both or neither: this is what lets
    /// the server keep a fetch's answer for the next identical one (`FetchCache`). nil for a push,
    /// whose answer is never kept.
    ///
    /// The refs are read again once git has answered, and the answer kept only when the key is the
    /// same: a push between the two would otherwise file the answer to newer refs under older ones.
    public func fetchAnswerKey(request body: [UInt8], gzip: Bool) throws -> String? {
        guard service == .uploadPack else { return nil }
        let refs = try GitRepository.open(path).visibleRefLines()
        var hash = SHA256()
        for field in [path, gitProtocol ?? "-", gzip ? "gzip" : "identity", String(refs.count)] + refs {
            hash.update(data: Data(field.utf8))
            hash.update(data: Data([0]))
        }
        hash.update(data: body)
        return hash.finalize().withUnsafeBytes { Hex.encode($0) }
    }
}
